package org.sizeguard.internal.adapter;



/**
 * The connection under a guarded session, where an adapter can see it (Payara: the frame relay under Tyrus). It
 * checks each message's declared size against the session's limits before the WebSocket implementation buffers it.
 */
public interface GuardedConnection {

    /**
     * From the next message on, check each message against {@code limits} (read once per message, when its first frame
     * arrives) and report to {@code listener}, the session's one owner of its close; a refusal or an end of the
     * connection seen before is reported now. Attaching again gives the session new limits from its next message.
     */
    void attach(SessionLimits limits, ConnectionListener listener);

    /**
     * Closes the connection at once, without a closing handshake: for a session whose close the WebSocket
     * implementation could not complete (a client that does not read). Any thread.
     */
    void abort();

    /** When input last arrived on the connection, data or control ({@link System#nanoTime()}). */
    long lastInputNanos();
}
