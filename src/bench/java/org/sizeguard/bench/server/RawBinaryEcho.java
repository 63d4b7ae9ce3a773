package org.sizeguard.bench.server;

import java.nio.ByteBuffer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * Bench-only binary echo of the container-alone WAR ({@code /plain/raw}): the reference that Sizeguard's
 * {@code /upload} is compared with. Its binary buffer (4 MiB) is well above the 1 MiB messages the benchmark sends
 * and within Tyrus's 4 MiB frame buffer, so the container takes every message whole.
 */
@ServerEndpoint("/raw")
public class RawBinaryEcho {

    public static final int MAX_BINARY = 4 * 1024 * 1024;

    @OnOpen
    public void open(Session session) {
        session.setMaxBinaryMessageBufferSize(MAX_BINARY);
    }

    @OnMessage
    public ByteBuffer echo(ByteBuffer bytes) {
        return bytes;
    }
}
