package org.sizeguard.codec;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.internal.DeployedApplication;

/**
 * Which policy a decoder checks against: the one CDI injected (the endpoint's, when Sizeguard creates the decoder),
 * else the one given to its constructor, else {@link DeployedApplication#defaultPolicy()} (the application's default
 * policy, or the built-in {@link MessageSizePolicy#DEFAULTS} before Sizeguard has initialised the application). Every
 * decoder of this package settles its policy here.
 */
final class DecoderPolicy {

    private DecoderPolicy() {
    }

    /**
     * @param injected the policy CDI injected, or {@code null}
     * @param given    the policy given to the decoder's constructor, or {@code null}
     * @return the first of them that is not {@code null}, else the application's default policy or the built-in one
     */
    static MessageSizePolicy resolve(MessageSizePolicy injected, MessageSizePolicy given) {
        if (injected != null) {
            return injected;
        }
        if (given != null) {
            return given;
        }
        return DeployedApplication.defaultPolicy();
    }
}
