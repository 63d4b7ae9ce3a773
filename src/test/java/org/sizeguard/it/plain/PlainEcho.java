package org.sizeguard.it.plain;

import java.nio.ByteBuffer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * Test-only echo of {@code plain.war}, which holds this class and nothing of Sizeguard: the best a user can do
 * with the container alone. {@code @OnOpen} sets the session's buffer sizes to Sizeguard's defaults (64 KiB
 * text, 1 MiB binary), the only standard knob with a normative 1009 rule. {@code ContainerComparisonBench}
 * measures what each server then does with messages over those sizes.
 */
@ServerEndpoint("/plain")
public class PlainEcho {

    public static final int MAX_TEXT = 65_536;
    public static final int MAX_BINARY = 1_048_576;

    @OnOpen
    public void open(Session session) {
        session.setMaxTextMessageBufferSize(MAX_TEXT);
        session.setMaxBinaryMessageBufferSize(MAX_BINARY);
    }

    @OnMessage
    public String echo(String text) {
        return text;
    }

    @OnMessage
    public ByteBuffer echo(ByteBuffer bytes) {
        return bytes;
    }
}
