package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.deflate.InflatingMessage;
import org.sizeguard.internal.adapter.tyrus.FrameHeader.Opcode;
import org.sizeguard.internal.adapter.tyrus.FrameReader.State;

/**
 * One compressed message of a permessage-deflate connection (RFC 7692), inflated through an {@link InflatingMessage}
 * and passed on as plain fragments of at most {@value FrameRelay#MAX_FRAGMENT_PAYLOAD} inflated bytes: the first with
 * the message's opcode, the last with FIN, none with RSV1. Each step passes on one piece of the
 * inflated output; pieces start at {@value #FIRST_PIECE} bytes and double up to a fragment while the inflater keeps
 * filling them, so a small message costs a small buffer.
 * <p>
 * Whether the inflater owes more output, and whether the message's tail has been given, are {@link FrameReader}
 * {@link State}s: each step says which state follows. Reserves its inflater and two fragments of buffers from
 * {@link #start} until {@link #close()}; a connection's {@link CompressedInput} starts and closes it. Not thread-safe.
 */
final class CompressedMessage implements AutoCloseable {

    /** The smallest piece a compressed message is inflated into; pieces double up to a fragment. */
    static final int FIRST_PIECE = 8 * 1024;

    private final InflatingMessage inflating;
    private final int opcode;
    private boolean firstFragment = true;
    private byte[] piece;

    private CompressedMessage(InflatingMessage inflating, int opcode) {
        this.inflating = inflating;
        this.opcode = opcode;
    }

    /**
     * A compressed message of {@code kind} begins, with a frame of {@code opcode}; its inflated bytes may be at most
     * {@code limit}.
     *
     * @throws BudgetExhaustedException (1013) if {@code budget} cannot hold the inflater and its buffers
     */
    static CompressedMessage start(MessageKind kind, long limit, MemoryBudget budget, int opcode) {
        return new CompressedMessage(InflatingMessage.start(kind, limit, budget, 2L * FrameRelay.MAX_FRAGMENT_PAYLOAD),
                opcode);
    }

    /**
     * The next compressed bytes; the inflater reads them from {@code bytes} as it goes.
     *
     * @throws UndecodableMessageException (1007) if the deflate data already ended with its final block
     */
    void input(byte[] bytes, int offset, int length) {
        inflating.input(bytes, offset, length);
    }

    /** All the message's compressed bytes have been given: its tail follows. */
    void lastInput() {
        inflating.lastInput();
    }

    /**
     * Gives the inflater the next compressed bytes of the message and passes on one piece of their output.
     *
     * @param frameComplete whether these were the last bytes of their frame's payload
     * @return the reader's next state: {@code INFLATE_BACKLOG} if the piece came out full, else
     *         {@code INFLATE_FRAME_END} or {@code INFLATE}
     * @throws MessageTooBigException      (1009) once the message has inflated to more than its limit
     * @throws UndecodableMessageException (1007) if the data is not valid deflate data
     */
    State input(byte[] plain, boolean frameComplete, ByteArrayOutputStream out) {
        inflating.input(plain, 0, plain.length);
        return passPiece(false, false, frameComplete, out);
    }

    /**
     * Passes on one piece of what the inflater owes in state {@code owed}: more after a full piece, or, at the end of
     * the message's final frame, what its tail inflates to.
     *
     * @return the reader's next state: a backlog state if the piece came out full, {@code HEADER} once the message's
     *         last fragment is passed on
     * @throws MessageTooBigException      (1009) once the message has inflated to more than its limit
     * @throws UndecodableMessageException (1007) if the data is not valid deflate data
     */
    State passOwed(State owed, boolean frameComplete, ByteArrayOutputStream out) {
        if (owed == State.INFLATE_FRAME_END) {
            inflating.lastInput();
            return passPiece(false, true, frameComplete, out);
        }
        return passPiece(true, owed == State.INFLATE_TAIL_BACKLOG, frameComplete, out);
    }

    /**
     * Inflates what was given into one piece and passes it on as a fragment, if it holds anything or ends the message.
     * A piece after a full one may be twice as large; after the tail, one that does not come out full is the last.
     */
    private State passPiece(boolean afterFullPiece, boolean tailGiven, boolean frameComplete,
            ByteArrayOutputStream out) {
        if (piece == null || afterFullPiece && piece.length < FrameRelay.MAX_FRAGMENT_PAYLOAD) {
            piece = new byte[piece == null ? FIRST_PIECE : piece.length * 2];
        }
        int n = inflating.inflate(piece, 0, piece.length);
        boolean full = n == piece.length;
        boolean last = !full && tailGiven;
        if (n > 0 || last) {
            FrameHeader.writeUnmasked(last, 0, firstFragment ? opcode : Opcode.CONTINUATION, n, out);
            out.write(piece, 0, n);
            firstFragment = false;
        }
        if (full) {
            return tailGiven ? State.INFLATE_TAIL_BACKLOG : State.INFLATE_BACKLOG;
        }
        if (last) {
            return State.HEADER;
        }
        return frameComplete ? State.INFLATE_FRAME_END : State.INFLATE;
    }

    /** Frees the inflater, its reservation and the piece; closing twice is harmless. */
    @Override
    public void close() {
        inflating.close();
        piece = null;
    }
}
