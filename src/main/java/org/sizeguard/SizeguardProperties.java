package org.sizeguard;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The configuration keys of Sizeguard, each declared once: its key, how its value is written, the
 * {@link SizePolicy} attribute that gives it on an endpoint, the name it is reported under (at
 * {@code /sizeguard/limits} and in the start-up log line), its default and its meaning. The default and the meaning
 * are written in Markdown, exactly as the README's configuration table shows them (a test compares the two).
 * <p>
 * Every key is looked up, highest precedence first, in: Java system properties; environment variables (the
 * key upper-cased, {@code .} and {@code -} turned into {@code _}, see {@link #environmentName(String)});
 * MicroProfile Config where the server has it; {@code web.xml} {@code <context-param>}; the endpoint's
 * annotation ({@link SizePolicy}, {@code @OnMessage(maxMessageSize)}); the built-in default. An invalid value
 * fails the deployment with a message naming the key and the value.
 * <p>
 * A {@link Setting} exists for the default policy ({@code sizeguard.<setting>}) and for every named policy
 * ({@code sizeguard.policy.<name>.<setting>}); a {@link ServerSetting} once for the application.
 */
public final class SizeguardProperties {

    /** Prefix shared by every key. */
    public static final String PREFIX = "sizeguard.";

    private static final String POLICY_PREFIX = "sizeguard.policy.";

    /** The settings of a policy. */
    public enum Setting {
        MAX_TEXT_MESSAGE_SIZE("max-text-message-size", Type.SIZE, "maxTextMessageSize", "maxTextBytes",
                MessageSizePolicy::maxTextBytes,
                "`64KiB`",
                "limit of one text message taken whole, in UTF-8 bytes, for endpoints without a named policy; "
                + "the fallback of every named policy"),
        MAX_BINARY_MESSAGE_SIZE("max-binary-message-size", Type.SIZE, "maxBinaryMessageSize", "maxBinaryBytes",
                MessageSizePolicy::maxBinaryBytes,
                "`1MiB`",
                "limit of one binary message taken whole, in bytes; likewise"),
        MAX_TEXT_STREAM_SIZE("max-text-stream-size", Type.SIZE, "maxTextStreamSize", "maxTextStreamBytes",
                MessageSizePolicy::maxTextStreamBytes,
                "the same policy's text message limit",
                "cap on the total of one text message taken as a stream (`Reader`, `Decoder.TextStream`) or in "
                + "parts (`String part, boolean last`)"),
        MAX_BINARY_STREAM_SIZE("max-binary-stream-size", Type.SIZE, "maxBinaryStreamSize", "maxBinaryStreamBytes",
                MessageSizePolicy::maxBinaryStreamBytes,
                "the same policy's binary message limit",
                "cap on the total of one binary message taken as a stream (`InputStream`, "
                + "`Decoder.BinaryStream`) or in parts"),
        MESSAGE_COMPLETION_TIMEOUT("message-completion-timeout", Type.DURATION, "messageCompletionTimeout",
                "completionTimeoutMillis",
                policy -> policy.completionTimeout().toMillis(),
                "`30s`",
                "time a message may take from its first byte to its last; a message still incomplete then (its "
                + "next fragment never came, or it trickles too slowly) is ended with 1008 and released. `0` for "
                + "none"),
        MAX_NESTING_DEPTH("max-nesting-depth", Type.COUNT, "maxNestingDepth", "maxNestingDepth",
                policy -> policy.structure().maxDepth(),
                "`64`",
                "deepest nesting of arrays and objects/maps Sizeguard's JSON and MessagePack decoders accept (a "
                + "count)"),
        MAX_ELEMENTS("max-elements", Type.COUNT, "maxElements", "maxElements",
                policy -> policy.structure().maxElements(),
                "`100000`",
                "most array items plus object/map entries in one JSON or MessagePack message (a count)"),
        MAX_VALUE_SIZE("max-value-size", Type.SIZE, "maxValueSize", "maxValueBytes",
                policy -> policy.structure().maxValueBytes(),
                "`1MiB`",
                "longest single string, key or binary value in a JSON or MessagePack message"),
        PERMESSAGE_DEFLATE("permessage-deflate", Type.SWITCH, "permessageDeflate", "permessageDeflate",
                policy -> policy.permessageDeflate() ? 1 : 0,
                "`true`",
                "negotiate permessage-deflate (RFC 7692) with a client that offers it, without context takeover in "
                + "either direction; inflated bytes count against the limits while they are inflated. On a server "
                + "without a Sizeguard adapter (neither Payara nor WildFly) it is never negotiated"),
        MAX_TRANSFER_SIZE("max-transfer-size", Type.SIZE, "maxTransferSize", "maxTransferBytes",
                policy -> policy.transfer().maxTransferBytes(),
                "`1GiB`",
                "on endpoints that take chunked transfers (`@OnTransfer`): the largest transfer, as its `start` "
                + "declares it; a larger one is refused with 1009 before any data"),
        TRANSFER_CHUNK_SIZE("transfer-chunk-size", Type.SIZE, "transferChunkSize", "transferChunkBytes",
                policy -> policy.transfer().chunkBytesWithin(policy.maxBinaryBytes()),
                "`256KiB`, at most the binary message limit − 13",
                "the most data bytes of one chunk of a transfer, as the server tells the client"),
        TRANSFER_WINDOW("transfer-window", Type.COUNT, "transferWindow", "transferWindow",
                policy -> policy.transfer().window(),
                "`4`",
                "how many chunks of a transfer a client may send before they are acknowledged (the credit window)"),
        MAX_TRANSFERS_PER_SESSION("max-transfers-per-session", Type.COUNT, "maxTransfersPerSession",
                "maxTransfersPerSession",
                policy -> policy.transfer().maxTransfersPerSession(),
                "`2`",
                "the most transfers one session runs at once; one more is refused with 1008"),
        TRANSFER_RETENTION("transfer-retention", Type.DURATION, "transferRetention", "transferRetentionMillis",
                policy -> policy.transfer().retention().toMillis(),
                "`10m`",
                "how long an unfinished transfer is kept, with its spilled bytes, after its session ended, so that "
                + "a new session can resume it"),
        TRANSFER_DEADLINE("transfer-deadline", Type.DURATION, "transferDeadline", "transferDeadlineMillis",
                policy -> policy.transfer().deadline().toMillis(),
                "`1h`",
                "how long a transfer may take from its `start` to its receipt, resumes included; one still "
                + "unfinished then is ended with 1008 and deleted");

        /** How values of a setting are written. */
        public enum Type {
            /**
             * A whole number of bytes with an optional unit: {@code B}, {@code KiB}, {@code MiB}, {@code GiB}
             * (1024-based), {@code KB}, {@code MB}, {@code GB} (1000-based).
             */
            SIZE,
            /** A whole number with a unit: {@code ms}, {@code s}, {@code m}, {@code h}. */
            DURATION,
            /** A whole number, {@code >= 0}. */
            COUNT,
            /** {@code true} or {@code false}; reported as 1 or 0 by {@link Setting#valueIn}. */
            SWITCH,
            /** A directory of the server's file system (server-wide settings only). */
            PATH
        }

        private final String suffix;
        private final Type type;
        private final String annotationAttribute;
        private final String reportName;
        private final ToLongFunction<MessageSizePolicy> value;
        private final String defaultValue;
        private final String meaning;

        Setting(String suffix, Type type, String annotationAttribute, String reportName,
                ToLongFunction<MessageSizePolicy> value, String defaultValue, String meaning) {
            this.suffix = suffix;
            this.type = type;
            this.annotationAttribute = annotationAttribute;
            this.reportName = reportName;
            this.value = value;
            this.defaultValue = defaultValue;
            this.meaning = meaning;
        }

        /** How values of this setting are written. */
        public Type type() {
            return type;
        }

        /** The key's last part, e.g. {@code max-text-message-size}. */
        public String suffix() {
            return suffix;
        }

        /** The {@link SizePolicy} attribute that gives this setting on an endpoint, e.g. {@code maxTextMessageSize}. */
        public String annotationAttribute() {
            return annotationAttribute;
        }

        /** The name the effective value is reported under, e.g. {@code maxTextBytes}. */
        public String reportName() {
            return reportName;
        }

        /**
         * The effective value in {@code policy}: bytes for sizes, milliseconds for durations, the count, or 1 and 0
         * for a switch that is on or off.
         */
        public long valueIn(MessageSizePolicy policy) {
            return value.applyAsLong(policy);
        }

        /** The default, in Markdown, as the README's table shows it. */
        public String defaultValue() {
            return defaultValue;
        }

        /** What the setting means, in Markdown, as the README's table shows it. */
        public String meaning() {
            return meaning;
        }
    }

    /**
     * The settings of the whole application, shared by every endpoint ({@code sizeguard.<setting>} only; not per
     * policy). See {@link ServerLimits}.
     */
    public enum ServerSetting {
        MAX_BUFFERED_BYTES("max-buffered-bytes", Setting.Type.SIZE, "maxBufferedBytes", ServerLimits::maxBufferedBytes,
                "a quarter of the JVM's maximum heap",
                "server-wide: the most bytes Sizeguard holds at once for all messages in progress and queued "
                + "replies (capacity, not just content); a session that would exceed it is closed with 1013. "
                + "Application-wide only, not per policy"),
        MAX_CONCURRENT_STREAMS("max-concurrent-streams", Setting.Type.COUNT, "maxConcurrentStreams",
                ServerLimits::maxConcurrentStreams,
                "`16`",
                "server-wide: the most endpoint methods reading a message as a stream at once, each on a thread "
                + "of Sizeguard's pool; a stream that finds no slot is closed with 1013. Also bounds how many "
                + "container threads can wait for a slow reader"),
        MAX_OUTBOUND_BUFFERED_BYTES("max-outbound-buffered-bytes", Setting.Type.SIZE, "maxOutboundBufferedBytes",
                ServerLimits::maxOutboundBytes,
                "`4MiB`",
                "per session: the most bytes of replies queued and not yet written (text counted at two bytes "
                + "per char); a reply that would exceed it fails and closes the session with 1008"),
        SEND_TIMEOUT("send-timeout", Setting.Type.DURATION, "sendTimeoutMillis",
                limits -> limits.sendTimeout().toMillis(),
                "`30s`",
                "per session: the longest a reply may take to be written; one still pending then closes the "
                + "session with 1008. `0` for none"),
        MAX_SESSIONS("max-sessions", Setting.Type.COUNT, "maxSessions", ServerLimits::maxSessions,
                "`0` (no cap)",
                "application-wide: the most guarded sessions open at once; a session beyond it is closed with "
                + "1013 before the endpoint sees it"),
        MAX_SESSIONS_PER_ADDRESS("max-sessions-per-address", Setting.Type.COUNT, "maxSessionsPerAddress",
                ServerLimits::maxSessionsPerAddress,
                "`0` (no cap)",
                "application-wide: the most guarded sessions open at once from one client address "
                + "(`getRemoteAddr()` of the handshake); beyond it, 1013 likewise"),
        MAX_CONCURRENT_TRANSFERS("max-concurrent-transfers", Setting.Type.COUNT, "maxConcurrentTransfers",
                ServerLimits::maxConcurrentTransfers,
                "`64`",
                "application-wide: the most chunked transfers in progress at once, resumable ones included; one "
                + "more is refused with 1013"),
        MAX_SPILL_SIZE("max-spill-size", Setting.Type.SIZE, "maxSpillBytes", ServerLimits::maxSpillBytes,
                "`10GiB`",
                "application-wide: the most bytes of unfinished transfers on disk, reserved for each transfer's "
                + "whole declared size at its `start`; a transfer beyond it is refused with 1013"),
        TRANSFER_DIRECTORY("transfer-directory", Setting.Type.PATH, "transferDirectory",
                ServerLimits::transferDirectory,
                "`sizeguard-transfers/<context root>` in `java.io.tmpdir`",
                "application-wide: the directory unfinished transfers are spilled to; Sizeguard owns it and deletes "
                + "its left-overs at start-up. Give each application a directory of its own");

        private final String suffix;
        private final Setting.Type type;
        private final String reportName;
        private final Function<ServerLimits, Object> value;
        private final String defaultValue;
        private final String meaning;

        ServerSetting(String suffix, Setting.Type type, String reportName, Function<ServerLimits, Object> value,
                String defaultValue, String meaning) {
            this.suffix = suffix;
            this.type = type;
            this.reportName = reportName;
            this.value = value;
            this.defaultValue = defaultValue;
            this.meaning = meaning;
        }

        /** The key, e.g. {@code sizeguard.max-buffered-bytes}. */
        public String key() {
            return PREFIX + suffix;
        }

        /** How values of this setting are written. */
        public Setting.Type type() {
            return type;
        }

        /** The name the effective value is reported under, e.g. {@code maxBufferedBytes}. */
        public String reportName() {
            return reportName;
        }

        /**
         * The effective value in {@code limits}: bytes for sizes, milliseconds for durations, the count, or the
         * directory.
         */
        public Object valueIn(ServerLimits limits) {
            Object effective = value.apply(limits);
            return effective instanceof Duration duration ? duration.toMillis() : effective;
        }

        /** The default, in Markdown, as the README's table shows it. */
        public String defaultValue() {
            return defaultValue;
        }

        /** What the setting means, in Markdown, as the README's table shows it. */
        public String meaning() {
            return meaning;
        }
    }

    private SizeguardProperties() {
    }

    /**
     * The key of {@code setting} in policy {@code policyName}: {@code sizeguard.<setting>} for the default policy,
     * {@code sizeguard.policy.<name>.<setting>} for a named one.
     */
    public static String key(String policyName, Setting setting) {
        return MessageSizePolicy.DEFAULT_NAME.equals(policyName) ? PREFIX + setting.suffix()
                : POLICY_PREFIX + policyName + "." + setting.suffix();
    }

    /** The key of the message limit of {@code kind} in policy {@code policyName}. */
    public static String maxMessageSize(String policyName, MessageKind kind) {
        return key(policyName,
                kind == MessageKind.TEXT ? Setting.MAX_TEXT_MESSAGE_SIZE : Setting.MAX_BINARY_MESSAGE_SIZE);
    }

    /**
     * The environment variable that carries {@code key}: upper case, {@code .} and {@code -} replaced by
     * {@code _}, e.g. {@code SIZEGUARD_MAX_TEXT_MESSAGE_SIZE}.
     */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
