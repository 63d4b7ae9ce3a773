package org.sizeguard.internal;

import org.sizeguard.MessageKind;

/**
 * Counts the UTF-8 bytes of one text message as its parts arrive and, for a message delivered whole, joins the
 * parts, so that no more than the limit is ever held. The join buffer's capacity is reserved against the
 * {@link MemoryBudget} before it grows, at two bytes per char (what a {@code StringBuilder} holding non-Latin-1 text
 * takes), and grows in steps of at most double, never beyond the limit; between messages nothing is held. Not
 * thread-safe: its owner serialises calls.
 */
final class TextAssembler {

    private final MessageSizeCounter counter;
    private final MemoryBudget budget;
    /** Chars a message of the limit can have at most: each char takes at least one UTF-8 byte. */
    private final int maxChars;
    private StringBuilder buffer;
    private long reserved;

    TextAssembler(long limit, MemoryBudget budget) {
        this.counter = new MessageSizeCounter(MessageKind.TEXT, limit);
        this.budget = budget;
        this.maxChars = (int) Math.min(limit, Integer.MAX_VALUE - 8);
    }

    TextAssembler(long limit) {
        this(limit, MemoryBudget.unlimited());
    }

    /**
     * Counts {@code part}; if it passes, and {@code keep} is set, keeps it for the whole message.
     *
     * @return the whole message when {@code last} is set and {@code keep} is set, else {@code null}
     * @throws org.sizeguard.MessageTooBigException if the message exceeds the limit; everything held is released
     * @throws org.sizeguard.BudgetExhaustedException if keeping the part would exceed the server-wide budget;
     *         everything held is released
     */
    String append(String part, boolean last, boolean keep) {
        try {
            counter.add(Utf8.encodedLength(part));
            if (!keep) {
                if (last) {
                    counter.reset();
                }
                return null;
            }
            if (last && buffer == null) {
                counter.reset();
                return part;
            }
            ensureRoom((buffer == null ? 0 : buffer.length()) + part.length());
        } catch (RuntimeException refused) {
            release();
            throw refused;
        }
        buffer.append(part);
        if (!last) {
            return null;
        }
        String message = buffer.toString();
        release();
        return message;
    }

    private void ensureRoom(int chars) {
        int capacity = buffer == null ? 0 : buffer.capacity();
        if (buffer != null && chars <= capacity) {
            return;
        }
        int grown = (int) Math.min(maxChars, Math.max(chars, 2L * capacity + 2));
        budget.reserve(2L * (grown - capacity));
        StringBuilder bigger;
        try {
            // A new builder of exactly the reserved capacity: ensureCapacity could grow past it (and past the limit).
            bigger = new StringBuilder(grown);
            if (buffer != null) {
                bigger.append(buffer);
            }
        } catch (OutOfMemoryError heapFull) {
            // Only where the budget is set above what the heap can hold: the reservation must not outlive it.
            budget.release(2L * (grown - capacity));
            throw heapFull;
        }
        reserved += 2L * (grown - capacity);
        buffer = bigger;
    }

    /** Bytes of the current message counted so far. */
    long received() {
        return counter.received();
    }

    /** Bytes of the budget this assembler holds now. */
    long reserved() {
        return reserved;
    }

    /** Drops the message held so far and gives its reservation back. */
    void release() {
        counter.reset();
        buffer = null;
        budget.release(reserved);
        reserved = 0;
    }
}
