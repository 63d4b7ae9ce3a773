package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.deflate.InflatingMessage;
import org.sizeguard.internal.adapter.tyrus.FrameHeader.Opcode;

/**
 * One compressed message of a permessage-deflate connection (RFC 7692), inflated through an {@link InflatingMessage}
 * and passed on as plain fragments of at most {@value FrameRelay#MAX_FRAGMENT_PAYLOAD} inflated bytes: the first with
 * the message's opcode, the last with FIN, none with RSV1. Each call to {@link #passPiece} passes on one piece of the
 * inflated output; pieces start at {@value #FIRST_PIECE} bytes and double up to a fragment while the inflater keeps
 * filling them, so a small message costs a small buffer.
 * <p>
 * Whether the inflater owes more output, and whether the message's tail has been given, are the caller's to track
 * (the {@link FrameReader}'s states): this class only inflates and writes. Reserves its inflater and two fragments of
 * buffers from {@link #start} until {@link #close()}. Not thread-safe.
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
     * Inflates what was given into one piece and passes it on as a fragment, if it holds anything or ends the message.
     *
     * @param afterFullPiece whether the last piece came out full: this one may be twice as large
     * @param tailGiven      whether {@link #lastInput()} was called: a piece that does not come out full ends the
     *                       message
     * @return whether the piece came out full, so that the inflater may owe more of what it was given
     * @throws MessageTooBigException      (1009) once the message has inflated to more than its limit
     * @throws UndecodableMessageException (1007) if the data is not valid deflate data
     */
    boolean passPiece(boolean afterFullPiece, boolean tailGiven, ByteArrayOutputStream out) {
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
        return full;
    }

    /** Frees the inflater, its reservation and the piece; closing twice is harmless. */
    @Override
    public void close() {
        inflating.close();
        piece = null;
    }
}
