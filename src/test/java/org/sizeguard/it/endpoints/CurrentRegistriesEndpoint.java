package org.sizeguard.it.endpoints;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicies;
import org.sizeguard.SizePolicy;
import org.sizeguard.SizeguardStats;

/**
 * Answers every message with what {@link SizePolicies#current()} and {@link SizeguardStats#current()} say, looked up
 * through CDI from the endpoint's method: {@code "endpoint=small/100/200 default=default open=true"}.
 */
@ServerEndpoint("/it/current")
@SizePolicy("small")
public class CurrentRegistriesEndpoint {

    @OnMessage
    public String report(String text) {
        SizePolicies policies = SizePolicies.current();
        return "endpoint=" + PolicyReportingDecoder.describe(
                policies.forEndpoint(CurrentRegistriesEndpoint.class).orElse(null))
                + " default=" + policies.defaultPolicy().name()
                + " open=" + (SizeguardStats.current().openSessions() > 0);
    }
}
