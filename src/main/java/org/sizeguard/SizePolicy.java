package org.sizeguard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the named size policy for a {@code @ServerEndpoint} (or for a decoder) and may give the policy's
 * limits at the lowest configured precedence: system properties, environment, MicroProfile Config and
 * {@code web.xml} all override the values written here, which override only the built-in defaults.
 * <pre>{@code
 * @ServerEndpoint("/upload")
 * @SizePolicy(value = "upload", maxBinaryMessageSize = "1GiB")
 * public class UploadEndpoint { ... }
 * }</pre>
 * Sizes use the syntax of {@link ByteSize}; an empty string means "not given here".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SizePolicy {

    /** The policy name; keys {@code sizeguard.policy.<name>.*} configure it. */
    String value() default MessageSizePolicy.DEFAULT_NAME;

    /** The text limit in UTF-8 bytes, e.g. {@code "64KiB"}; empty for "not given here". */
    String maxTextMessageSize() default "";

    /** The binary limit in bytes, e.g. {@code "1MiB"}; empty for "not given here". */
    String maxBinaryMessageSize() default "";
}
