package org.sizeguard.bench.server;

import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * Bench-only, diagnostic: a text echo of the container-alone WAR ({@code /plain/partial}) that takes messages through
 * a partial handler and replies through {@code getAsyncRemote()} without waiting, which is how Sizeguard has the
 * container deliver and reply. Its throughput against {@code PlainEcho}'s tells which share of Sizeguard's cost per
 * small message is the container's partial-delivery path and which is Sizeguard's own work.
 */
@ServerEndpoint("/partial")
public class PartialEcho {

    private final StringBuilder message = new StringBuilder();

    @OnMessage
    public void part(String part, boolean last, Session session) {
        message.append(part);
        if (last) {
            String whole = message.toString();
            message.setLength(0);
            session.getAsyncRemote().sendText(whole, result -> { });
        }
    }
}
