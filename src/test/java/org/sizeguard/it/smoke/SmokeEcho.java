package org.sizeguard.it.smoke;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** Test-only echo endpoint deployed by {@code ContainerSmokeIT}: proves the container wiring, nothing of Sizeguard. */
@ServerEndpoint("/smoke")
public class SmokeEcho {

    @OnMessage
    public String echo(String message) {
        return message;
    }
}
