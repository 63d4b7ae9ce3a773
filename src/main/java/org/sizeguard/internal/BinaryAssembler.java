package org.sizeguard.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.sizeguard.MessageKind;

/**
 * Joins the parts of one binary message, counting its bytes as the parts arrive, so that no more than the
 * limit is ever held. Not thread-safe (see {@link MessageSizeCounter}).
 */
final class BinaryAssembler {

    private final MessageSizeCounter counter;
    private byte[] buffer = new byte[0];
    private int length;

    BinaryAssembler(long limit) {
        this.counter = new MessageSizeCounter(MessageKind.BINARY, limit);
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
        int needed = length + part.remaining();
        if (needed > buffer.length) {
            // Doubling keeps copies amortised; the counter has already bounded 'needed' by the limit.
            buffer = Arrays.copyOf(buffer, Math.max(needed, Math.min(Integer.MAX_VALUE - 8, buffer.length * 2)));
        }
        int size = part.remaining();
        part.get(buffer, length, size);
        length = needed;
        if (!last) {
            return null;
        }
        ByteBuffer message = ByteBuffer.wrap(buffer, 0, length);
        release();
        return message;
    }

    long received() {
        return counter.received();
    }

    /** Drops the message held so far. */
    void release() {
        counter.reset();
        buffer = new byte[0];
        length = 0;
    }
}
