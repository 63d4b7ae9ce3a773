package org.sizeguard.it.endpoints;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;

/**
 * Echo under policy {@code sysprop}: the test web.xml sets its text limit to 1000 bytes, the server JVM's system
 * property {@code sizeguard.policy.sysprop.max-text-message-size=3000} (arquillian.xml) overrides it, and the
 * annotation's 500 loses to both.
 */
@ServerEndpoint("/it/sysprop")
@SizePolicy(value = "sysprop", maxTextMessageSize = "500")
public class SystemPropertyEcho {

    @OnMessage
    public String echo(String text) {
        return text;
    }
}
