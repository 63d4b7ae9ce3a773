package org.sizeguard.internal.adapter.tyrus;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;

/**
 * The data message a client is sending, from its first frame to its final one: its kind, its limit (read once, when
 * it begins), and its size as its frame headers declare it, checked against that limit before a byte of a frame's
 * payload is read. Also remembers whether the
 * message has been reported as started (a message spanning reads runs its deadline from its first byte).
 * <p>
 * Not thread-safe: one connection's reading thread.
 */
final class MessageInProgress {

    private MessageKind kind;
    private long limit;
    private long bytes;
    private boolean startReported;

    /** Whether a message is open: it began and its final frame has not ended. */
    boolean open() {
        return kind != null;
    }

    /** The open message's kind, or {@code null}. */
    MessageKind kind() {
        return kind;
    }

    /** A message of {@code kind} begins with its first frame; {@code limit} holds for all of it. */
    void start(MessageKind kind, long limit) {
        this.kind = kind;
        this.limit = limit;
        bytes = 0;
        startReported = false;
    }

    /**
     * A frame of the open message declares {@code frameLength} more bytes.
     *
     * @throws MessageTooBigException (1009) if they take the message over its limit; the message is not counted on
     */
    void admit(long frameLength) {
        // Saturating: a continuation declaring up to 2^63 - 1 bytes must not wrap the message's total around.
        long total = frameLength > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : bytes + frameLength;
        MessageTooBigException.requireWithin(kind, limit, total);
        bytes = total;
    }

    /** The message's final frame has ended. */
    void end() {
        kind = null;
        bytes = 0;
    }

    /** The open message's limit, as it was when the message began. */
    long limit() {
        return limit;
    }

    /** Bytes the message's frames have declared so far. */
    long bytes() {
        return bytes;
    }

    /** The open message's kind the first time this is asked for that message, {@code null} after (or if none). */
    MessageKind reportStart() {
        if (kind == null || startReported) {
            return null;
        }
        startReported = true;
        return kind;
    }
}
