package org.sizeguard.internal.adapter;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.ProtocolViolationException;

/**
 * Where the connection under a guarded session (or the extension an adapter negotiated for it) hands what it sees,
 * on its reading thread: the session's one owner of its close ({@code internal.SessionClose}), the end of the inbound
 * path. A call returns at once; nothing comes back to the connection.
 */
public interface ConnectionListener {

    /**
     * A data message of {@code kind} has begun and is not complete at the end of the bytes read so far: its first
     * bytes have arrived, the rest will come in later reads. Reported once per message.
     */
    void messageStarted(MessageKind kind);

    /**
     * The client's input is refused, once per connection: a {@link MessageTooBigException} (the rest of that
     * message and every later data frame are dropped) or a {@link ProtocolViolationException} (no further frames
     * are read). The session is closed with the exception's code.
     */
    void refused(SizeguardCloseException refusal);

    /**
     * The connection underneath has ended (end of input, a read error, or closed): the WebSocket implementation
     * should report the session closed, and does not always (Tyrus). Reported once.
     */
    default void connectionEnded() {
    }
}
