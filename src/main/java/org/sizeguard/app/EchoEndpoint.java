package org.sizeguard.app;

import java.nio.ByteBuffer;

import jakarta.inject.Inject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.MessageSizePolicy;

/**
 * Echoes every text and binary message, under the default policy (64 KiB text, 1 MiB binary unless
 * configured otherwise). An ordinary annotated endpoint: Sizeguard guards it without any code here.
 */
@ServerEndpoint("/echo")
public class EchoEndpoint {

    @Inject
    MessageSizePolicy policy;

    @OnMessage
    public String echo(String text) {
        return text;
    }

    @OnMessage
    public ByteBuffer echo(ByteBuffer bytes) {
        return bytes;
    }
}
