package org.sizeguard.it.endpoints;

import jakarta.inject.Inject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicy;

/**
 * Answers every message with the policy CDI injected into this endpoint and the one injected into its decoder:
 * {@code "endpoint=small/100/200 decoder=small/100/200 text=<message>"}.
 */
@ServerEndpoint(value = "/it/injected", decoders = PolicyReportingDecoder.class)
@SizePolicy("small")
public class InjectedPolicyEndpoint {

    @Inject
    MessageSizePolicy policy;

    @OnMessage
    public String report(PolicyReportingDecoder.Decoded message) {
        return "endpoint=" + PolicyReportingDecoder.describe(policy) + " decoder=" + message.decoderPolicy()
                + " text=" + message.text();
    }
}
