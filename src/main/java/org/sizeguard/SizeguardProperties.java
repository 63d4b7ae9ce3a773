package org.sizeguard;

import java.util.Locale;

/**
 * The configuration keys of Sizeguard.
 * <p>
 * Every key is looked up, highest precedence first, in: Java system properties; environment variables (the
 * key upper-cased, {@code .} and {@code -} turned into {@code _}, see {@link #environmentName(String)});
 * MicroProfile Config where the server has it; {@code web.xml} {@code <context-param>}; the endpoint's
 * annotation ({@link SizePolicy}, {@code @OnMessage(maxMessageSize)}); the built-in default. An invalid value
 * fails the deployment with a message naming the key and the value.
 * <p>
 * Each setting exists for the default policy ({@code sizeguard.<setting>}) and for every named policy
 * ({@code sizeguard.policy.<name>.<setting>}); see {@link Setting} for the settings and their defaults.
 */
public final class SizeguardProperties {

    /** Prefix shared by every key. */
    public static final String PREFIX = "sizeguard.";

    private static final String POLICY_PREFIX = "sizeguard.policy.";

    /** The settings of a policy. */
    public enum Setting {
        /**
         * Limit of one text message taken whole, in UTF-8 bytes; a size ({@link ByteSize}). Default
         * {@code 64KiB}; for a named policy, the default policy's value.
         */
        MAX_TEXT_MESSAGE_SIZE("max-text-message-size"),
        /**
         * Limit of one binary message taken whole, in bytes; a size. Default {@code 1MiB}; for a named policy,
         * the default policy's value.
         */
        MAX_BINARY_MESSAGE_SIZE("max-binary-message-size"),
        /**
         * Cap on the total of one text message taken as a stream ({@code Reader}, {@code Decoder.TextStream}) or
         * in parts ({@code boolean last}), in UTF-8 bytes; a size. Default: the same policy's
         * {@code max-text-message-size}.
         */
        MAX_TEXT_STREAM_SIZE("max-text-stream-size"),
        /**
         * Cap on the total of one binary message taken as a stream ({@code InputStream},
         * {@code Decoder.BinaryStream}) or in parts, in bytes; a size. Default: the same policy's
         * {@code max-binary-message-size}.
         */
        MAX_BINARY_STREAM_SIZE("max-binary-stream-size"),
        /**
         * How long a message may take from its first byte to its last; a duration ({@link TimeSpan}), {@code 0}
         * for none. A message still incomplete then is ended with 1008. Default {@code 30s}; for a named policy,
         * the default policy's value.
         */
        MESSAGE_COMPLETION_TIMEOUT("message-completion-timeout", Type.DURATION),
        /**
         * Deepest nesting of arrays and objects/maps Sizeguard's JSON and MessagePack decoders accept; a count.
         * Default {@value StructureLimits#DEFAULT_MAX_DEPTH}; for a named policy, the default policy's value.
         */
        MAX_NESTING_DEPTH("max-nesting-depth", Type.COUNT),
        /**
         * Most array elements plus object/map entries in one JSON or MessagePack message; a count. Default
         * {@value StructureLimits#DEFAULT_MAX_ELEMENTS}; for a named policy, the default policy's value.
         */
        MAX_ELEMENTS("max-elements", Type.COUNT),
        /**
         * Longest single string (UTF-8 bytes) or binary value in a JSON or MessagePack message; a size. Default
         * {@code 1MiB}; for a named policy, the default policy's value.
         */
        MAX_VALUE_SIZE("max-value-size", Type.SIZE);

        /** How values of a setting are written. */
        public enum Type {
            /** {@link ByteSize}. */
            SIZE,
            /** {@link TimeSpan}. */
            DURATION,
            /** A whole number, {@code >= 0}. */
            COUNT
        }

        private final String suffix;
        private final Type type;

        Setting(String suffix) {
            this(suffix, Type.SIZE);
        }

        Setting(String suffix, Type type) {
            this.suffix = suffix;
            this.type = type;
        }

        /** How values of this setting are written. */
        public Type type() {
            return type;
        }

        /** The key's last part, e.g. {@code max-text-message-size}. */
        public String suffix() {
            return suffix;
        }

    }

    /**
     * The settings of the whole application, shared by every endpoint ({@code sizeguard.<setting>} only; not per
     * policy). See {@link ServerLimits}.
     */
    public enum ServerSetting {
        /**
         * The most bytes Sizeguard holds at once for all messages in progress and queued sends; a size. Default: a
         * quarter of the JVM's maximum heap. A session that would exceed it is closed with 1013.
         */
        MAX_BUFFERED_BYTES("max-buffered-bytes", Setting.Type.SIZE),
        /**
         * The most endpoint methods reading a message as a stream at once; a count. Default
         * {@value ServerLimits#DEFAULT_MAX_CONCURRENT_STREAMS}. A stream that finds no slot is closed with 1013.
         */
        MAX_CONCURRENT_STREAMS("max-concurrent-streams", Setting.Type.COUNT),
        /**
         * The most bytes of sends queued for one session and not yet written; a size. Default {@code 4MiB}. A send
         * that would exceed it fails and closes the session with 1008.
         */
        MAX_OUTBOUND_BUFFERED_BYTES("max-outbound-buffered-bytes", Setting.Type.SIZE),
        /**
         * How long a send may take to be written; a duration, {@code 0} for none. Default {@code 30s}. A send still
         * pending then fails and closes the session with 1008.
         */
        SEND_TIMEOUT("send-timeout", Setting.Type.DURATION),
        /**
         * The most guarded sessions open at once; a count, {@code 0} for no cap. Default {@code 0}. A session beyond
         * it is closed with 1013 before the endpoint sees it.
         */
        MAX_SESSIONS("max-sessions", Setting.Type.COUNT),
        /**
         * The most guarded sessions open at once from one client address; a count, {@code 0} for no cap. Default
         * {@code 0}. A session beyond it is closed with 1013 before the endpoint sees it.
         */
        MAX_SESSIONS_PER_ADDRESS("max-sessions-per-address", Setting.Type.COUNT);

        private final String suffix;
        private final Setting.Type type;

        ServerSetting(String suffix, Setting.Type type) {
            this.suffix = suffix;
            this.type = type;
        }

        /** The key, e.g. {@code sizeguard.max-buffered-bytes}. */
        public String key() {
            return PREFIX + suffix;
        }

        /** How values of this setting are written. */
        public Setting.Type type() {
            return type;
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
        return key(policyName, kind == MessageKind.TEXT ? Setting.MAX_TEXT_MESSAGE_SIZE : Setting.MAX_BINARY_MESSAGE_SIZE);
    }

    /**
     * The environment variable that carries {@code key}: upper case, {@code .} and {@code -} replaced by
     * {@code _}, e.g. {@code SIZEGUARD_MAX_TEXT_MESSAGE_SIZE}.
     */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
