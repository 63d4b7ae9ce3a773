package org.sizeguard.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.sizeguard.MessageKind;

/**
 * Counts the bytes of one binary message as its parts arrive and, for a message delivered whole, joins the
 * parts, so that no more than the limit is ever held. The join buffer's capacity is reserved against the
 * {@link MemoryBudget} before it grows, in steps of at most double and never beyond the limit; between messages
 * nothing is held. Not thread-safe: its owner serialises calls.
 */
final class BinaryAssembler {

    private final MessageSizeCounter counter;
    private final MemoryBudget budget;
    private final int maxBytes;
    private byte[] buffer;
    private int length;

    BinaryAssembler(long limit, MemoryBudget budget) {
        this.counter = new MessageSizeCounter(MessageKind.BINARY, limit);
        this.budget = budget;
        this.maxBytes = (int) Math.min(limit, Integer.MAX_VALUE - 8);
    }

    BinaryAssembler(long limit) {
        this(limit, MemoryBudget.unlimited());
    }

    /**
     * Counts {@code part}; if it passes, and {@code keep} is set, keeps a copy for the whole message.
     *
     * @return the whole message, positioned at 0, when {@code last} and {@code keep} are set, else {@code null}.
     *         A single-part message is returned without copying: it is valid only until the handler returns.
     * @throws org.sizeguard.MessageTooBigException if the message exceeds the limit; everything held is released
     * @throws org.sizeguard.BudgetExhaustedException if keeping the part would exceed the server-wide budget;
     *         everything held is released
     */
    ByteBuffer append(ByteBuffer part, boolean last, boolean keep) {
        int size = part.remaining();
        try {
            counter.add(size);
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
            ensureRoom(length + size);
        } catch (RuntimeException refused) {
            release();
            throw refused;
        }
        part.get(buffer, length, size);
        length += size;
        if (!last) {
            return null;
        }
        ByteBuffer message = ByteBuffer.wrap(buffer, 0, length);
        release();
        return message;
    }

    private void ensureRoom(int needed) {
        int capacity = buffer == null ? 0 : buffer.length;
        if (buffer != null && needed <= capacity) {
            return;
        }
        // The counter has already bounded 'needed' by the limit; doubling keeps copies amortised.
        int grown = (int) Math.min(maxBytes, Math.max(needed, 2L * capacity));
        budget.reserve(grown - capacity);
        try {
            buffer = buffer == null ? new byte[grown] : Arrays.copyOf(buffer, grown);
        } catch (OutOfMemoryError heapFull) {
            // Only where the budget is set above what the heap can hold: the reservation must not outlive it.
            budget.release(grown - capacity);
            throw heapFull;
        }
    }

    /** Bytes of the current message counted so far. */
    long received() {
        return counter.received();
    }

    /** Bytes of the budget this assembler holds now: the capacity of its buffer. */
    long reserved() {
        return buffer == null ? 0 : buffer.length;
    }

    /** Drops the message held so far and gives its reservation back. */
    void release() {
        counter.reset();
        if (buffer != null) {
            budget.release(buffer.length);
        }
        buffer = null;
        length = 0;
    }
}
