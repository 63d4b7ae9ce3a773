package org.sizeguard.it.endpoints;

import java.nio.ByteBuffer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;

/** Echo under policy {@code small}, which the test web.xml sets to 100 bytes text, 200 bytes binary. */
@ServerEndpoint("/it/named")
@SizePolicy("small")
public class NamedPolicyEcho {

    @OnMessage
    public String echo(String text) {
        return text;
    }

    @OnMessage
    public ByteBuffer echo(ByteBuffer bytes) {
        return bytes;
    }
}
