package org.sizeguard.codec;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;

/**
 * Which policy a decoder checks against: the one CDI injected (the endpoint's, when Sizeguard creates the decoder),
 * else the one given to its constructor, else the application's default policy, else the built-in defaults.
 */
final class DecoderPolicy {

    private static final MessageSizePolicy BUILT_IN = new MessageSizePolicy(MessageSizePolicy.DEFAULT_NAME,
            MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES, MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES);

    private DecoderPolicy() {
    }

    static MessageSizePolicy resolve(MessageSizePolicy injected, MessageSizePolicy given) {
        if (injected != null) {
            return injected;
        }
        if (given != null) {
            return given;
        }
        try {
            return SizePolicies.current().defaultPolicy();
        } catch (IllegalStateException notInitialised) {
            return BUILT_IN;
        }
    }
}
