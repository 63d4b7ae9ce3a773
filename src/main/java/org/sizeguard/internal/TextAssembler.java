package org.sizeguard.internal;

import java.util.function.LongConsumer;

import org.sizeguard.MessageKind;
import org.sizeguard.Utf8;

/**
 * Counts the UTF-8 bytes of one text message as its parts arrive and, for a message delivered whole, joins the
 * parts, so that no more than the limit is ever held. Not thread-safe: its owner serialises calls.
 */
final class TextAssembler {

    /** Above this many chars the buffer is dropped after a message rather than kept for the next one. */
    private static final int RETAINED_CAPACITY = 8 * 1024;

    private final MessageSizeCounter counter;
    private final LongConsumer bufferedDelta;
    private StringBuilder buffer = new StringBuilder();
    private long held;

    /** @param bufferedDelta told how many bytes this assembler starts or stops holding */
    TextAssembler(long limit, LongConsumer bufferedDelta) {
        this.counter = new MessageSizeCounter(MessageKind.TEXT, limit);
        this.bufferedDelta = bufferedDelta;
    }

    TextAssembler(long limit) {
        this(limit, delta -> { });
    }

    /**
     * Counts {@code part}; if it passes, and {@code keep} is set, keeps it for the whole message.
     *
     * @return the whole message when {@code last} is set and {@code keep} is set, else {@code null}
     * @throws org.sizeguard.MessageTooBigException if the message exceeds the limit; everything held is released
     */
    String append(String part, boolean last, boolean keep) {
        long size = Utf8.encodedLength(part);
        try {
            counter.add(size);
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
            held += size;
            bufferedDelta.accept(size);
            return null;
        }
        String message = buffer.length() == 0 ? part : buffer.append(part).toString();
        release();
        return message;
    }

    /** Bytes of the current message counted so far. */
    long received() {
        return counter.received();
    }

    /** Drops the message held so far. */
    void release() {
        counter.reset();
        if (held > 0) {
            bufferedDelta.accept(-held);
            held = 0;
        }
        if (buffer.capacity() > RETAINED_CAPACITY) {
            buffer = new StringBuilder();
        } else {
            buffer.setLength(0);
        }
    }
}
