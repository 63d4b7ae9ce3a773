package org.sizeguard.it.endpoints;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** An echo whose sessions time out after one second without traffic ({@code setMaxIdleTimeout} in {@code @OnOpen}). */
@ServerEndpoint("/it/idle")
public class IdleEcho {

    /** The idle timeout every session of this endpoint gets, in milliseconds. */
    public static final long IDLE_MILLIS = 1000;

    @OnOpen
    public void open(Session session) {
        session.setMaxIdleTimeout(IDLE_MILLIS);
    }

    @OnMessage
    public String echo(String text) {
        return text;
    }
}
