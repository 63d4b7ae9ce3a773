package org.sizeguard.it.user;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;

/** An endpoint of a user's own WAR that uses only the core jar: text limit 10 bytes by annotation. */
@ServerEndpoint("/user-echo")
@SizePolicy(value = "user", maxTextMessageSize = "10")
public class UserEcho {

    @OnMessage
    public String echo(String text) {
        return text;
    }
}
