package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.ProtocolViolationException;
import org.sizeguard.internal.adapter.tyrus.FrameHeader.Opcode;

/**
 * The framing state machine of one connection's client-to-server byte stream (RFC 6455 §5.2): reads frame headers,
 * checks them against RFC 6455 and the message's limit, and writes what the container should read. Plain data frames
 * go out through the {@link FragmentWriter}; a compressed message goes through the {@link CompressedInput}, which
 * starts, inflates and ends it and answers each step with this machine's next {@link State} (input, owed output,
 * tail). The rules it enforces are described on
 * {@link FrameRelay}, which owns it and reports what it refuses.
 * <p>
 * Not thread-safe: its owner serialises the reading thread and the end of the connection.
 */
final class FrameReader {

    /** What the reader asks of its connection, to which a guarded endpoint may attach while frames already pass. */
    interface Guard {
        /** The most bytes a message of {@code kind} may hold: {@link Long#MAX_VALUE} until an endpoint attached. */
        long limit(MessageKind kind);

        /** Whether compressed messages are inflated here: permessage-deflate was negotiated and an endpoint attached. */
        boolean inflates();
    }

    /** Where the reader is in the client's byte stream. */
    enum State {
        /** Reading a frame header. */
        HEADER,
        /** Passing a data frame's payload on, fragment by fragment. */
        DATA,
        /** Collecting a control frame's payload, to pass the frame on whole. */
        CONTROL,
        /** Dropping a data frame's payload: its message was refused. */
        SKIP,
        /** A framing rule was broken: nothing more is read as frames, the input is dropped. */
        BROKEN,
        /** An unguarded connection after a violation: the input goes to the container as it is. */
        TRANSPARENT,
        /** Giving a compressed frame's payload to the inflater as it arrives, passing on a piece of its output. */
        INFLATE,
        /** The last piece came out full: the inflater may owe more of what it was given, one fragment per call. */
        INFLATE_BACKLOG,
        /** A compressed frame's payload has all been given: a continuation frame follows, or the message's tail. */
        INFLATE_FRAME_END,
        /** The message's tail has been given and the last piece came out full: one more fragment per call. */
        INFLATE_TAIL_BACKLOG;

        /** Whether the reader has output to pass on without more input. */
        boolean owesOutput() {
            return this == INFLATE_BACKLOG || this == INFLATE_FRAME_END || this == INFLATE_TAIL_BACKLOG;
        }

        /** Whether the reader stops here: the container takes the fragment before the next is inflated. */
        boolean paused() {
            return this == INFLATE_BACKLOG || this == INFLATE_TAIL_BACKLOG;
        }
    }

    private final Guard guard;
    private final HeaderReader header;
    private final ControlFrame control = new ControlFrame();
    private final MessageInProgress message = new MessageInProgress();
    private final CompressedInput compressed;

    private State state = State.HEADER;
    /** The data frame whose payload is being read, and where in it. */
    private FrameHeader frame;
    private long payloadOffset;
    private SizeguardCloseException refusal;
    private boolean clientClosed;
    private boolean guarded = true;

    /**
     * @param permessageDeflate whether the handshake negotiated permessage-deflate (RSV1 allowed on a data message)
     * @param budget            what compressed messages reserve their inflater and buffers against
     */
    FrameReader(boolean permessageDeflate, MemoryBudget budget, Guard guard) {
        this.header = new HeaderReader(permessageDeflate);
        this.guard = guard;
        this.compressed = new CompressedInput(budget);
    }

    /**
     * Reads {@code bytes[position, end)} and writes what the container should read to {@code out}, then passes on what
     * it owes; stops early after a full inflated fragment ({@link #paused()}).
     *
     * @return where it stopped reading
     */
    int read(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        while (position < end || state.owesOutput()) {
            position = switch (state) {
                case HEADER -> readHeader(bytes, position, end, out);
                case DATA -> passData(bytes, position, end, out);
                case CONTROL -> collectControl(bytes, position, end, out);
                case SKIP -> skip(position, end);
                case BROKEN -> end;
                case TRANSPARENT -> {
                    out.write(bytes, position, end - position);
                    yield end;
                }
                case INFLATE, INFLATE_BACKLOG, INFLATE_FRAME_END, INFLATE_TAIL_BACKLOG -> inflate(bytes, position, end, out);
            };
            if (state.paused()) {
                break;
            }
        }
        return position;
    }

    /** Where the reader is in the stream. */
    State state() {
        return state;
    }

    /** Whether the reader has output to pass on before it reads more. */
    boolean owesOutput() {
        return state.owesOutput();
    }

    /** Whether the last {@link #read} stopped after a full fragment of inflated output. */
    boolean paused() {
        return state.paused();
    }

    /** The first refusal of the client's input (too big, a framing violation, no budget), or {@code null}. */
    SizeguardCloseException refusal() {
        return refusal;
    }

    /** Whether the client's close frame has passed whole, or the stream passes unparsed (see FrameRelay). */
    boolean clientClosed() {
        return clientClosed || state == State.TRANSPARENT;
    }

    /** No guarded endpoint took the connection: a framing violation leaves the rest of the stream to the container. */
    void unguarded() {
        guarded = false;
    }

    /** The kind of a message still open and not yet reported as started (unless refused); once per message. */
    MessageKind reportStart() {
        return refusal == null ? message.reportStart() : null;
    }

    /** The connection has ended: frees a compressed message's inflater; nothing still delivered is read as frames. */
    void connectionEnded() {
        if (compressed.inProgress()) {
            compressed.end();
            state = State.BROKEN;
        }
    }

    private int readHeader(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        position = header.read(bytes, position, end);
        String violation = header.violation();
        if (violation == null && !header.complete()) {
            return position;
        }
        if (violation == null) {
            FrameHeader complete = header.parse();
            violation = complete.violation();
            if (violation == null) {
                violation = checkFragmentation(complete);
            }
            if (violation == null) {
                header.clear();
                startPayload(complete, out);
                return position;
            }
        }
        violated(violation, out);
        return position;
    }

    /** The rule of §5.4 the frame breaks in the sequence of data frames, or {@code null}. */
    private String checkFragmentation(FrameHeader header) {
        if (header.opcode() == Opcode.CONTINUATION && !message.open()) {
            return "continuation frame without a message to continue (RFC 6455 5.4)";
        }
        if ((header.opcode() == Opcode.TEXT || header.opcode() == Opcode.BINARY) && message.open()) {
            return "new data frame before the previous message ended (RFC 6455 5.4)";
        }
        return null;
    }

    private void startPayload(FrameHeader header, ByteArrayOutputStream out) {
        frame = header;
        payloadOffset = 0;
        if (Opcode.isControl(header.opcode())) {
            control.start(header);
            state = State.CONTROL;
            if (header.length() == 0) {
                endControl(out);
            }
            return;
        }
        if (header.opcode() != Opcode.CONTINUATION) {
            MessageKind kind = header.opcode() == Opcode.TEXT ? MessageKind.TEXT : MessageKind.BINARY;
            message.start(kind, guard.limit(kind));
        }
        if (!admitData(header)) {
            state = State.SKIP;
        } else if (compressed.inProgress() || header.opcode() != Opcode.CONTINUATION
                && (header.rsv() & FrameHeader.RSV1) != 0 && guard.inflates()) {
            startCompressedFrame(header);
        } else {
            state = State.DATA;
        }
        if (header.length() == 0 && !compressed.inProgress()) {
            endData(out);
        }
    }

    /** @return whether the data frame fits its message's limit; refuses the message if it does not */
    private boolean admitData(FrameHeader header) {
        if (refusal != null) {
            return false;
        }
        try {
            message.admit(header.length());
        } catch (MessageTooBigException tooBig) {
            refuse(tooBig);
            return false;
        }
        return true;
    }

    /** A frame of a compressed message begins; its first is refused (1013) when the budget cannot hold it. */
    private void startCompressedFrame(FrameHeader header) {
        try {
            state = compressed.frameStarts(header, message.kind(), message.limit());
        } catch (SizeguardCloseException spent) {
            compressedRefused(spent);
        }
    }

    private int passData(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        int take = FragmentWriter.writeNext(frame, payloadOffset, bytes, position, end, out);
        payloadOffset += take;
        if (payloadOffset == frame.length()) {
            endData(out);
        }
        return position + take;
    }

    /**
     * One step of a compressed frame: gives the inflater this read's bytes of it ({@code INFLATE}), or has it pass on
     * what it owes; at the end of a frame that is not the message's last, reads a header.
     */
    private int inflate(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        if (state == State.INFLATE_FRAME_END && !frame.fin()) {
            state = State.HEADER; // the message goes on in a continuation frame
            return position;
        }
        int take = state == State.INFLATE ? (int) Math.min(end - position, frame.length() - payloadOffset) : 0;
        byte[] plain = state == State.INFLATE
                ? FragmentWriter.unmaskedPayload(frame, payloadOffset, bytes, position, take) : null;
        payloadOffset += take;
        boolean frameComplete = payloadOffset == frame.length();
        try {
            state = plain != null ? compressed.input(plain, frameComplete, out)
                    : compressed.passOwed(state, frameComplete, out);
            if (state == State.HEADER) { // the message's last fragment is passed on
                endMessageIfFinal();
            }
        } catch (SizeguardCloseException refused) {
            compressedRefused(refused);
        }
        return position + take;
    }

    /** The compressed message is refused (no budget, too big, invalid): the rest of it is dropped uninflated. */
    private void compressedRefused(SizeguardCloseException refused) {
        refuse(refused);
        state = State.SKIP;
        skip(0, 0); // the frame ends at once if all its payload has been read
    }

    private int skip(int position, int end) {
        int take = (int) Math.min(end - position, frame.length() - payloadOffset);
        payloadOffset += take;
        if (payloadOffset == frame.length()) {
            endMessageIfFinal();
            state = State.HEADER;
        }
        return position + take;
    }

    private void endData(ByteArrayOutputStream out) {
        if (frame.length() == 0 && state == State.DATA) {
            FrameHeader.writeUnmasked(frame.fin(), frame.rsv(), frame.opcode(), 0, out);
        }
        endMessageIfFinal();
        state = State.HEADER;
    }

    private void endMessageIfFinal() {
        if (frame.fin()) {
            message.end();
        }
    }

    private int collectControl(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        position = control.collect(bytes, position, end);
        if (control.complete()) {
            endControl(out);
        }
        return position;
    }

    private void endControl(ByteArrayOutputStream out) {
        String violation = control.violation();
        if (violation != null) {
            violated(violation, out);
            return;
        }
        if (control.passOn(out)) {
            clientClosed = true;
        }
        state = State.HEADER;
    }

    private void violated(String rule, ByteArrayOutputStream out) {
        if (!guarded) {
            // Not ours to judge: the container gets the rest of the stream as the client sent it.
            header.writeTo(out);
            header.clear();
            state = State.TRANSPARENT;
            return;
        }
        header.clear();
        control.clear();
        state = State.BROKEN;
        refuse(new ProtocolViolationException(rule));
    }

    /**
     * Records the first refusal, which the owner reports. No data is passed on after it, so a compressed message's
     * inflater is freed at once.
     */
    private void refuse(SizeguardCloseException refused) {
        compressed.end();
        if (refusal == null) {
            refusal = refused;
        }
    }
}
