package org.sizeguard.it.endpoints;

import java.nio.ByteBuffer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;

/**
 * Echo under policy {@code budget}: the default limits, but a completion timeout of 60 s (test web.xml), so that
 * the budget tests can hold many messages half-sent while they fill the server-wide budget.
 */
@ServerEndpoint("/it/budget")
@SizePolicy("budget")
public class BudgetEcho {

    @OnMessage
    public ByteBuffer echo(ByteBuffer bytes) {
        return bytes;
    }

    @OnMessage
    public String echo(String text) {
        return text;
    }
}
