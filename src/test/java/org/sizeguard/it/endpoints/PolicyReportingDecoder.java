package org.sizeguard.it.endpoints;

import jakarta.inject.Inject;
import jakarta.websocket.Decoder;

import org.sizeguard.MessageSizePolicy;

/** Decodes text into itself plus the policy CDI injected into this decoder. */
public class PolicyReportingDecoder implements Decoder.Text<PolicyReportingDecoder.Decoded> {

    @Inject
    MessageSizePolicy policy;

    public record Decoded(String text, String decoderPolicy) {
    }

    static String describe(MessageSizePolicy policy) {
        return policy == null ? "null" : policy.name() + "/" + policy.maxTextBytes() + "/" + policy.maxBinaryBytes();
    }

    @Override
    public Decoded decode(String text) {
        return new Decoded(text, describe(policy));
    }

    @Override
    public boolean willDecode(String text) {
        return true;
    }
}
