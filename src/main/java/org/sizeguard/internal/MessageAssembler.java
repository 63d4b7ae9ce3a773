package org.sizeguard.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;

/**
 * Counts the bytes of one message as its parts arrive (UTF-8 bytes for text) and, for a message delivered whole,
 * joins the parts, so that no more than the limit is ever held. The join buffer's capacity is reserved against the
 * {@link MemoryBudget} before it grows (text at two bytes per char, what a {@code StringBuilder} holding non-Latin-1
 * text takes), in steps of at most double and never beyond the limit; between messages nothing is held. One class
 * for both kinds: {@link #text} and {@link #binary} differ only in how a part is measured and joined. Not
 * thread-safe: its owner serialises calls.
 *
 * @param <P> a part as the container delivers it: {@code String} or {@code ByteBuffer}
 */
final class MessageAssembler<P> {

    /** How parts of one kind are measured and joined. */
    private interface Joining<P> {
        /** Bytes of {@code part} counted against the limit. */
        long bytes(P part);

        /** Units (chars or bytes) {@code part} adds to the buffer. */
        int units(P part);

        /** Heap bytes per unit of buffer capacity: what is reserved. */
        int unitBytes();

        int length();

        int capacity();

        /** Replaces the buffer by one of exactly {@code capacity} units holding what was held. */
        void grow(int capacity);

        void add(P part);

        /** The joined message. */
        P whole();

        void drop();
    }

    private final MessageKind kind;
    private final long limit;
    private final MemoryBudget budget;
    private final Joining<P> joining;
    /** Units a message of the limit can have at most: each takes at least one byte. */
    private final int maxUnits;
    private long received;
    /** {@link #received} as the latest append left it, before a last part reset it. */
    private long counted;
    private long reserved;

    private MessageAssembler(MessageKind kind, long limit, MemoryBudget budget, Joining<P> joining) {
        this.kind = kind;
        this.limit = limit;
        this.budget = budget;
        this.joining = joining;
        this.maxUnits = (int) Math.min(limit, Integer.MAX_VALUE - 8);
    }

    /** An assembler of text messages of at most {@code limit} UTF-8 bytes. */
    static MessageAssembler<String> text(long limit, MemoryBudget budget) {
        return new MessageAssembler<>(MessageKind.TEXT, limit, budget, new TextJoining());
    }

    /**
     * An assembler of binary messages of at most {@code limit} bytes. A message that arrives in one part is
     * returned without copying: it is valid only until the container's handler returns.
     */
    static MessageAssembler<ByteBuffer> binary(long limit, MemoryBudget budget) {
        return new MessageAssembler<>(MessageKind.BINARY, limit, budget, new BinaryJoining());
    }

    /**
     * Counts {@code part}; if it passes, and {@code keep} is set, keeps it (a copy) for the whole message.
     *
     * @return the whole message when {@code last} and {@code keep} are set, else {@code null}
     * @throws MessageTooBigException if the message exceeds the limit; everything held is released
     * @throws org.sizeguard.BudgetExhaustedException if keeping the part would exceed the server-wide budget;
     *         everything held is released
     */
    P append(P part, boolean last, boolean keep) {
        try {
            received = MessageTooBigException.requireWithin(kind, limit, received + joining.bytes(part));
            counted = received;
            if (!keep || last && joining.length() == 0) {
                // Nothing to join: not kept, or the whole message came in this one part.
                if (last) {
                    release();
                }
                return keep ? part : null;
            }
            ensureRoom(joining.length() + joining.units(part));
        } catch (RuntimeException refused) {
            release();
            throw refused;
        }
        joining.add(part);
        if (!last) {
            return null;
        }
        P message = joining.whole();
        release();
        return message;
    }

    private void ensureRoom(int units) {
        int capacity = joining.capacity();
        if (units <= capacity && capacity > 0) {
            return;
        }
        // The count has bounded 'units' by the limit already; doubling keeps copies amortised.
        int grown = (int) Math.min(maxUnits, Math.max(units, 2L * capacity));
        long more = (long) joining.unitBytes() * (grown - capacity);
        budget.reserve(more);
        try {
            joining.grow(grown);
        } catch (OutOfMemoryError heapFull) {
            // Only where the budget is set above what the heap can hold: the reservation must not outlive it.
            budget.release(more);
            throw heapFull;
        }
        reserved += more;
    }

    /** Bytes of {@code part} as the limit counts them (UTF-8 bytes for text). */
    long measure(P part) {
        return joining.bytes(part);
    }

    /** Bytes of the current message counted so far. */
    long received() {
        return received;
    }

    /** Bytes of the message counted by the latest successful append, its last part included. */
    long counted() {
        return counted;
    }

    /** Bytes of the budget this assembler holds now: its buffer's capacity. */
    long reserved() {
        return reserved;
    }

    /** Drops the message held so far and gives its reservation back. */
    void release() {
        received = 0;
        joining.drop();
        budget.release(reserved);
        reserved = 0;
    }

    private static final class TextJoining implements Joining<String> {
        private StringBuilder buffer;

        @Override
        public long bytes(String part) {
            return Utf8.encodedLength(part);
        }

        @Override
        public int units(String part) {
            return part.length();
        }

        @Override
        public int unitBytes() {
            return 2;
        }

        @Override
        public int length() {
            return buffer == null ? 0 : buffer.length();
        }

        @Override
        public int capacity() {
            return buffer == null ? 0 : buffer.capacity();
        }

        @Override
        public void grow(int capacity) {
            // A new builder of exactly the reserved capacity: ensureCapacity could grow past it (and the limit).
            StringBuilder bigger = new StringBuilder(capacity);
            if (buffer != null) {
                bigger.append(buffer);
            }
            buffer = bigger;
        }

        @Override
        public void add(String part) {
            buffer.append(part);
        }

        @Override
        public String whole() {
            return buffer.toString();
        }

        @Override
        public void drop() {
            buffer = null;
        }
    }

    private static final class BinaryJoining implements Joining<ByteBuffer> {
        private byte[] buffer;
        private int length;

        @Override
        public long bytes(ByteBuffer part) {
            return part.remaining();
        }

        @Override
        public int units(ByteBuffer part) {
            return part.remaining();
        }

        @Override
        public int unitBytes() {
            return 1;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public int capacity() {
            return buffer == null ? 0 : buffer.length;
        }

        @Override
        public void grow(int capacity) {
            buffer = buffer == null ? new byte[capacity] : Arrays.copyOf(buffer, capacity);
        }

        @Override
        public void add(ByteBuffer part) {
            int size = part.remaining();
            part.get(buffer, length, size);
            length += size;
        }

        @Override
        public ByteBuffer whole() {
            return ByteBuffer.wrap(buffer, 0, length);
        }

        @Override
        public void drop() {
            buffer = null;
            length = 0;
        }
    }
}
