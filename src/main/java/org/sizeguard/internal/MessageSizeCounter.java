package org.sizeguard.internal;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;

/**
 * Counts the bytes of the message of one kind that is arriving on one session, and refuses the part that
 * would take it over its limit before that part is kept or delivered.
 * <p>
 * Not thread-safe: Jakarta WebSocket never calls one session's message handler in parallel.
 */
final class MessageSizeCounter {

    private final MessageKind kind;
    private final long limit;
    private long received;

    MessageSizeCounter(MessageKind kind, long limit) {
        this.kind = kind;
        this.limit = limit;
    }

    /**
     * Adds a part of {@code bytes} bytes to the current message.
     *
     * @throws MessageTooBigException if the message would then exceed the limit; the count is reset
     */
    void add(long bytes) {
        try {
            received = MessageTooBigException.requireWithin(kind, limit, received + bytes);
        } catch (MessageTooBigException tooBig) {
            received = 0;
            throw tooBig;
        }
    }

    /** Bytes counted for the current message. */
    long received() {
        return received;
    }

    /** Starts counting a new message. */
    void reset() {
        received = 0;
    }
}
