package org.sizeguard.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongConsumer;

import org.sizeguard.MessageKind;

/**
 * Counts the bytes of one binary message as its parts arrive and, for a message delivered whole, joins the
 * parts, so that no more than the limit is ever held. Not thread-safe: its owner serialises calls.
 */
final class BinaryAssembler {

    private final MessageSizeCounter counter;
    private final LongConsumer bufferedDelta;
    private byte[] buffer = new byte[0];
    private int length;

    /** @param bufferedDelta told how many bytes this assembler starts or stops holding */
    BinaryAssembler(long limit, LongConsumer bufferedDelta) {
        this.counter = new MessageSizeCounter(MessageKind.BINARY, limit);
        this.bufferedDelta = bufferedDelta;
    }

    BinaryAssembler(long limit) {
        this(limit, delta -> { });
    }

    /**
     * Counts {@code part}; if it passes, and {@code keep} is set, keeps a copy for the whole message.
     *
     * @return the whole message, positioned at 0, when {@code last} and {@code keep} are set, else {@code null}.
     *         A single-part message is returned without copying: it is valid only until the handler returns.
     * @throws org.sizeguard.MessageTooBigException if the message exceeds the limit; everything held is released
     */
    ByteBuffer append(ByteBuffer part, boolean last, boolean keep) {
        try {
            counter.add(part.remaining());
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
        if (last && length == 0) {
            counter.reset();
            return part;
        }
        int size = part.remaining();
        int needed = length + size;
        if (needed > buffer.length) {
            // Doubling keeps copies amortised; the counter has already bounded 'needed' by the limit.
            buffer = Arrays.copyOf(buffer, Math.max(needed, Math.min(Integer.MAX_VALUE - 8, buffer.length * 2)));
        }
        part.get(buffer, length, size);
        length = needed;
        bufferedDelta.accept(size);
        if (!last) {
            return null;
        }
        ByteBuffer message = ByteBuffer.wrap(buffer, 0, length);
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
        if (length > 0) {
            bufferedDelta.accept(-length);
        }
        buffer = new byte[0];
        length = 0;
    }
}
