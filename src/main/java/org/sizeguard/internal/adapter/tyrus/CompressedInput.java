package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.tyrus.FrameReader.State;

/**
 * The compressed messages of one connection's input (RFC 7692), one at a time: the {@link CompressedMessage} in
 * progress, from its first frame, where it reserves its inflater against the budget, to its last fragment, a refusal
 * or the end of the connection, where it frees it. The {@link FrameReader} reads the frames and asks it for each step;
 * each step says which {@link State} follows. A step that refuses the message has freed it before it throws.
 * <p>
 * Not thread-safe: its reader's owner serialises the reading thread and the end of the connection.
 */
final class CompressedInput {

    private final MemoryBudget budget;
    private CompressedMessage message;

    /** @param budget what compressed messages reserve their inflater and buffers against */
    CompressedInput(MemoryBudget budget) {
        this.budget = budget;
    }

    /** Whether a compressed message is in progress: the next data frame of its message goes on with it. */
    boolean inProgress() {
        return message != null;
    }

    /**
     * A frame of a compressed message begins: the first starts the message, a message of {@code kind} whose inflated
     * bytes may be at most {@code limit}; a continuation goes on with the message in progress.
     *
     * @return {@code INFLATE}, or {@code INFLATE_FRAME_END} for a frame without payload
     * @throws BudgetExhaustedException (1013) if the budget cannot hold the first frame's inflater and buffers; nothing
     *                                  is then in progress
     */
    State frameStarts(FrameHeader frame, MessageKind kind, long limit) {
        if (message == null) {
            message = CompressedMessage.start(kind, limit, budget, frame.opcode());
        }
        return frame.length() == 0 ? State.INFLATE_FRAME_END : State.INFLATE;
    }

    /**
     * Gives the message's inflater the next compressed bytes, unmasked, and passes on one piece of their output.
     *
     * @param frameComplete whether these were the last bytes of their frame's payload
     * @return {@code INFLATE_BACKLOG} if the piece came out full, else {@code INFLATE_FRAME_END} or {@code INFLATE}
     * @throws MessageTooBigException      (1009) once the message has inflated to more than its limit; it has ended
     * @throws UndecodableMessageException (1007) if the data is not valid deflate data; the message has ended
     */
    State input(byte[] plain, boolean frameComplete, ByteArrayOutputStream out) {
        try {
            return message.input(plain, frameComplete, out);
        } catch (SizeguardCloseException refused) {
            end();
            throw refused;
        }
    }

    /**
     * Passes on one piece the inflater owes in state {@code owed} (more after a full piece, or, at the end of the
     * message's final frame, what its tail inflates to).
     *
     * @return a backlog state if the piece came out full; {@code HEADER} once the message's last fragment is passed
     *         on, and the message has ended
     * @throws MessageTooBigException      (1009) once the message has inflated to more than its limit; it has ended
     * @throws UndecodableMessageException (1007) if the data is not valid deflate data; the message has ended
     */
    State passOwed(State owed, boolean frameComplete, ByteArrayOutputStream out) {
        State next;
        try {
            next = message.passOwed(owed, frameComplete, out);
        } catch (SizeguardCloseException refused) {
            end();
            throw refused;
        }
        if (next == State.HEADER) {
            end();
        }
        return next;
    }

    /** Ends the message in progress, if any: frees its inflater, its reservation and its piece. */
    void end() {
        if (message != null) {
            message.close();
            message = null;
        }
    }
}
