package org.sizeguard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the named size policy for a {@code ServerEndpoint} (or for a decoder) and may give the policy's
 * settings at the lowest configured precedence: system properties, environment, MicroProfile Config and
 * {@code web.xml} all override the values written here, which override only the defaults.
 * <pre>
 * &#64;ServerEndpoint("/upload")
 * &#64;SizePolicy(value = "upload", maxBinaryStreamSize = "1GiB")
 * public class UploadEndpoint { ... }
 * </pre>
 * Sizes are a whole number of bytes with an optional unit ({@code B}, {@code KiB}, {@code MiB}, {@code GiB}, or
 * {@code KB}, {@code MB}, {@code GB}); durations a whole number with a unit ({@code ms}, {@code s}, {@code m},
 * {@code h}); counts a whole number. An empty string means "not given here". The README's configuration table says
 * what each setting means and its default.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SizePolicy {

    /** The policy name; keys {@code sizeguard.policy.<name>.*} configure it. */
    String value() default MessageSizePolicy.DEFAULT_NAME;

    /** Limit of a text message taken whole, in UTF-8 bytes, e.g. {@code "64KiB"}. */
    String maxTextMessageSize() default "";

    /** Limit of a binary message taken whole, in bytes, e.g. {@code "1MiB"}. */
    String maxBinaryMessageSize() default "";

    /** Cap on a text message taken as a stream or in parts, in UTF-8 bytes. */
    String maxTextStreamSize() default "";

    /** Cap on a binary message taken as a stream or in parts, in bytes. */
    String maxBinaryStreamSize() default "";

    /** Time a message may take from first to last byte, e.g. {@code "30s"}. */
    String messageCompletionTimeout() default "";

    /** Deepest nesting Sizeguard's JSON and MessagePack decoders accept, e.g. {@code "16"}. */
    String maxNestingDepth() default "";

    /** Most array elements plus object/map entries in one JSON or MessagePack message, e.g. {@code "1000"}. */
    String maxElements() default "";

    /** Longest single string or binary value in a JSON or MessagePack message, e.g. {@code "64KiB"}. */
    String maxValueSize() default "";

    /** Whether permessage-deflate is negotiated with clients that offer it: {@code "true"} or {@code "false"}. */
    String permessageDeflate() default "";

    /** The largest chunked transfer an {@code @OnTransfer} endpoint takes, e.g. {@code "4GiB"}. */
    String maxTransferSize() default "";

    /** The most data bytes of one chunk of a transfer, e.g. {@code "512KiB"}. */
    String transferChunkSize() default "";

    /** How many chunks may be unacknowledged, e.g. {@code "8"}. */
    String transferWindow() default "";

    /** The most transfers one session runs at once, e.g. {@code "1"}. */
    String maxTransfersPerSession() default "";

    /** How long an unfinished transfer is kept for a resume after its session ended, e.g. {@code "30m"}. */
    String transferRetention() default "";

    /** How long a transfer may take from start to receipt, e.g. {@code "2h"}. */
    String transferDeadline() default "";
}
