package org.sizeguard.internal.adapter;

import java.util.function.ToLongFunction;

import org.sizeguard.MessageKind;

/**
 * The connection under a guarded session, where an adapter can see it (Payara: the frame relay under Tyrus). It
 * checks each message's declared size against the session's limits before the WebSocket implementation buffers it.
 */
public interface GuardedConnection {

    /**
     * From now on, check each message against {@code limits} (bytes by kind) and report to {@code listener}; a
     * refusal or an end of the connection seen before is reported now.
     */
    void attach(ToLongFunction<MessageKind> limits, ConnectionListener listener);

    /**
     * Closes the connection at once, without a closing handshake: for a session whose close the WebSocket
     * implementation could not complete (a client that does not read). Any thread.
     */
    void abort();

    /** When input last arrived on the connection, data or control ({@link System#nanoTime()}). */
    long lastInputNanos();
}
