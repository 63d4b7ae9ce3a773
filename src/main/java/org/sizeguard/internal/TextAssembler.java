package org.sizeguard.internal;

import org.sizeguard.MessageKind;
import org.sizeguard.Utf8;

/**
 * Joins the parts of one text message, counting its UTF-8 bytes as the parts arrive, so that no more than the
 * limit is ever held. Not thread-safe (see {@link MessageSizeCounter}).
 */
final class TextAssembler {

    /** Above this many chars the buffer is dropped after a message rather than kept for the next one. */
    private static final int RETAINED_CAPACITY = 8 * 1024;

    private final MessageSizeCounter counter;
    private StringBuilder buffer = new StringBuilder();

    TextAssembler(long limit) {
        this.counter = new MessageSizeCounter(MessageKind.TEXT, limit);
    }

    /**
     * Counts {@code part}; if it passes, and {@code keep} is set, keeps it for the whole message.
     *
     * @return the whole message when {@code last} is set and {@code keep} is set, else {@code null}
     * @throws org.sizeguard.MessageTooBigException if the message exceeds the limit; everything held is released
     */
    String append(String part, boolean last, boolean keep) {
        try {
            counter.add(Utf8.encodedLength(part));
        } catch (RuntimeException tooBig) {
            release();
            throw tooBig;
        }
        if (!keep) {
            if (last) {
                counter.reset();
            }
            return null;
        }
        if (!last) {
            buffer.append(part);
            return null;
        }
        String message = buffer.length() == 0 ? part : buffer.append(part).toString();
        release();
        return message;
    }

    long received() {
        return counter.received();
    }

    /** Drops the message held so far. */
    void release() {
        counter.reset();
        if (buffer.capacity() > RETAINED_CAPACITY) {
            buffer = new StringBuilder();
        } else {
            buffer.setLength(0);
        }
    }
}
