package org.sizeguard.it.smoke;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** Test-only endpoint of {@code smoke.war}: echoes every text message. Proves the container wiring only. */
@ServerEndpoint("/smoke")
public class SmokeEcho {

    @OnMessage
    public String echo(String message) {
        return message;
    }
}
