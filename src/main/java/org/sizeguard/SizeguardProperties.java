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
 */
public final class SizeguardProperties {

    /** Prefix shared by every key. */
    public static final String PREFIX = "sizeguard.";

    /**
     * Limit of one text message, in UTF-8 bytes, for endpoints without a named policy and the fallback of
     * every named policy. A size ({@link ByteSize}); default {@code 64KiB}.
     */
    public static final String MAX_TEXT_MESSAGE_SIZE = "sizeguard.max-text-message-size";

    /**
     * Limit of one binary message, in bytes, for endpoints without a named policy and the fallback of every
     * named policy. A size ({@link ByteSize}); default {@code 1MiB}.
     */
    public static final String MAX_BINARY_MESSAGE_SIZE = "sizeguard.max-binary-message-size";

    private static final String POLICY_PREFIX = "sizeguard.policy.";
    private static final String TEXT_SUFFIX = ".max-text-message-size";
    private static final String BINARY_SUFFIX = ".max-binary-message-size";

    private SizeguardProperties() {
    }

    /**
     * The key of {@code kind}'s limit in policy {@code policyName}: {@code sizeguard.policy.<name>.max-text-message-size}
     * or {@code ...max-binary-message-size}; for the default policy, {@link #MAX_TEXT_MESSAGE_SIZE} or
     * {@link #MAX_BINARY_MESSAGE_SIZE}. Default: the default policy's limit.
     */
    public static String maxMessageSize(String policyName, MessageKind kind) {
        if (MessageSizePolicy.DEFAULT_NAME.equals(policyName)) {
            return kind == MessageKind.TEXT ? MAX_TEXT_MESSAGE_SIZE : MAX_BINARY_MESSAGE_SIZE;
        }
        return POLICY_PREFIX + policyName + (kind == MessageKind.TEXT ? TEXT_SUFFIX : BINARY_SUFFIX);
    }

    /**
     * The environment variable that carries {@code key}: upper case, {@code .} and {@code -} replaced by
     * {@code _}, e.g. {@code SIZEGUARD_MAX_TEXT_MESSAGE_SIZE}.
     */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
