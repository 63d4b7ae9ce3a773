package org.sizeguard.internal.adapter.deflate;

import java.nio.ByteBuffer;
import java.util.zip.Inflater;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.BoundedInflater;
import org.sizeguard.codec.Inflation;
import org.sizeguard.internal.DeployedApplication;
import org.sizeguard.internal.MemoryBudget;

/**
 * One compressed message of a permessage-deflate connection (RFC 7692 7.2.2) being inflated within its limit: the
 * adapter gives it the message's compressed bytes as they arrive ({@link #input}), then {@link #lastInput()}, and
 * takes inflated bytes out in pieces of the size it chooses ({@link #inflate}). The limit counts inflated bytes over
 * the whole message and is checked while inflating, by a {@link BoundedInflater}: the inflater is never asked for more
 * than the limit + 1 byte, so a bomb costs at most that much output, whatever its ratio or frame layout.
 * <p>
 * Holds an inflater with its 32 KiB window (no context is kept between messages), reserved against the server-wide
 * budget as {@link Inflation#HELD_BYTES} plus what the adapter asks for its own buffers, from {@link #start} until
 * {@link #close()}; closing twice is harmless. Not thread-safe: one connection's reading thread at a time.
 */
public final class InflatingMessage implements AutoCloseable {

    /** RFC 7692 7.2.2: what the sender removed from the end of each message, appended again before inflating. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    /** The 1007 reason for data that is not deflate data. */
    private static final String INVALID = "compressed message is not valid deflate data";

    private final MemoryBudget budget;
    private final long reserved;
    private final Inflater inflater = new Inflater(true);
    private final BoundedInflater<RuntimeException> bounded;
    private boolean closed;

    private InflatingMessage(MessageKind kind, long limit, MemoryBudget budget, long reserved) {
        this.budget = budget;
        this.reserved = reserved;
        this.bounded = new BoundedInflater<>(kind, limit, INVALID, inflater::inflate);
    }

    /**
     * Starts a message of {@code kind} whose inflated size may be at most {@code limit} bytes, reserving the
     * inflater and {@code buffered} bytes of the caller's buffers.
     *
     * @throws BudgetExhaustedException (1013) if the budget cannot hold them; nothing is allocated then
     */
    public static InflatingMessage start(MessageKind kind, long limit, MemoryBudget budget, long buffered) {
        long reserved = Inflation.HELD_BYTES + buffered;
        budget.reserve(reserved);
        return new InflatingMessage(kind, limit, budget, reserved);
    }

    /**
     * The next compressed bytes of the message; the inflater reads them from {@code bytes} as it goes, so the caller
     * leaves them unchanged until {@link #needsInput()}.
     *
     * @throws UndecodableMessageException (1007) if the deflate data already ended with its final block
     */
    public void input(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (inflater.finished()) {
            throw afterFinalBlock();
        }
        inflater.setInput(bytes, offset, length);
    }

    /** The next compressed bytes of the message, read from {@code data} as {@link #input(byte[], int, int)} does. */
    public void input(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (inflater.finished()) {
            throw afterFinalBlock();
        }
        inflater.setInput(data);
    }

    /** All of the message's compressed bytes have been given: the tail the sender removed follows. */
    public void lastInput() {
        if (!inflater.finished()) {
            // A sender may end a message with a final deflate block (RFC 7692 7.2.3.4); then nothing is appended.
            inflater.setInput(TAIL);
        }
    }

    /**
     * Inflates what it was given into {@code out[offset, offset + length)}.
     *
     * @return the bytes written; fewer than {@code length} means everything given so far is inflated
     * @throws MessageTooBigException (1009) once the message has inflated to more than its limit
     * @throws UndecodableMessageException (1007) if the data is not valid deflate data, asks for a dictionary, or
     *         continues after its final block
     */
    public int inflate(byte[] out, int offset, int length) {
        int n = bounded.inflate(out, offset, length);
        // Fewer than asked for, within the limit: the inflater has stopped; say why if it is not for want of input.
        if (n < length) {
            if (inflater.needsDictionary()) {
                throw new UndecodableMessageException(INVALID, null);
            }
            if (inflater.finished() && inflater.getRemaining() > 0) {
                throw afterFinalBlock();
            }
        }
        return n;
    }

    /** Whether every byte given so far has been read by the inflater (its output may still be owed). */
    public boolean needsInput() {
        return inflater.needsInput() || inflater.finished();
    }

    /** Inflated bytes so far. */
    public long inflated() {
        return bounded.inflated();
    }

    /** Frees the inflater and what {@link #start} reserved, and counts the inflated bytes in the stats. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inflater.end();
            budget.release(reserved);
            DeployedApplication.countInflated(bounded.inflated());
        }
    }

    private static UndecodableMessageException afterFinalBlock() {
        return new UndecodableMessageException("compressed message continues after its final deflate block", null);
    }
}
