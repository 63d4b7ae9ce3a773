package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.ToLongFunction;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.ProtocolViolationException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.deflate.InflatingMessage;
import org.sizeguard.internal.adapter.tyrus.FrameHeader.Opcode;

/**
 * Reads the client-to-server byte stream of one WebSocket connection frame by frame (RFC 6455 §5.2), below the
 * container's own WebSocket implementation, and passes on what the container should see.
 * <ul>
 * <li><b>Strict framing.</b> Every frame is checked against RFC 6455 as its header arrives: a frame that is not
 * masked, sets a reserved bit (permessage-deflate, when negotiated, allows RSV1 on the first frame of a data message
 * and nothing else), uses a reserved opcode, declares
 * a 64-bit length with its top bit set, is a fragmented or over-long control frame, continues no message or starts
 * one while another is open, or is a close frame with a 1-byte payload or an invalid close code, is refused with a
 * {@link ProtocolViolationException} (1002). Nothing after it is read as frames: the rest of the input is dropped.
 * The relay never turns itself off for a guarded connection.</li>
 * <li><b>Refuses from the header.</b> When a data frame's header declares a payload that would take its message
 * over its limit, the relay reports a {@link MessageTooBigException} before a byte of that payload is read or passed
 * on, as Node {@code ws} does. That frame and every later data frame are dropped; control frames (the client's close
 * reply, pings) still pass, so the container can finish the closing handshake.</li>
 * <li><b>Bounds the container's buffer.</b> A data frame is passed on as fragments of what one read brought of it,
 * at most {@value #MAX_FRAGMENT_PAYLOAD} bytes each, unmasked
 * (Tyrus accepts unmasked frames, and skips its slow unmasking for them), so a container that buffers a whole frame before parsing it (Tyrus) never holds more than one
 * read's worth per connection, whatever frame the client sent. Fragmenting a message differently is invisible to
 * endpoints (§5.4). Control frames (at most 125 bytes) are passed on whole.</li>
 * </ul>
 * Between reads the relay holds at most an incomplete header (14 bytes) and an incomplete control frame
 * (125 bytes); it keeps no buffer for idle connections.
 * <p>
 * <b>permessage-deflate</b> (RFC 7692), when the handshake negotiated it ({@link #FrameRelay(boolean, MemoryBudget)})
 * and a guarded endpoint has attached: a compressed message (RSV1 on its first frame) is inflated here, through an
 * {@link InflatingMessage} reserved against the budget with one read and one fragment of buffers, and passed on as
 * plain fragments of at most {@value #MAX_FRAGMENT_PAYLOAD} inflated bytes, so the container never sees compressed
 * data. Its frame headers are still checked against the limit (they declare compressed bytes), and its inflated
 * bytes are counted against the same limit while inflating: the limit + 1st byte refuses the message with 1009, so
 * no more than the limit + 1 byte is ever inflated. Invalid deflate data is 1007. One read may inflate to far more
 * than one fragment: the relay then holds the rest of the read back ({@link #hasBacklog()}) and passes on one fragment
 * per call, so the container drains a bomb at the pace it reads, never as one buffer. Without an attached endpoint
 * (an extension the container negotiated itself), compressed frames are passed on as they are, RSV1 included.
 * <p>
 * Until a {@link ConnectionListener} is {@linkplain #attach attached}, frames are relayed and checked, but no limit
 * applies and a refusal waits for the attachment. A connection that turns out not to be guarded
 * ({@link #unguarded()}) is relayed without limits, and left to the container's own rules from the first violation
 * on.
 * <p>
 * Not thread-safe: one connection's input is read by one thread at a time.
 */
public final class FrameRelay implements GuardedConnection {

    /** Eight bytes of an array at a time, as a long in network order. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The largest payload of a data fragment the relay passes on: 64 KiB. */
    public static final int MAX_FRAGMENT_PAYLOAD = 64 * 1024;

    /** Where the relay is in the client's byte stream. */
    private enum State {
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
        TRANSPARENT
    }

    /** The smallest piece a compressed message is inflated into; pieces double up to a fragment. */
    private static final int FIRST_PIECE = 8 * 1024;

    private final boolean permessageDeflate;
    private final MemoryBudget budget;
    /** Guards the inflater between the reading thread and the end of the connection, which may come on another. */
    private final Object inflation = new Object();

    private State state = State.HEADER;
    private ToLongFunction<MessageKind> limits;
    private ConnectionListener listener;
    private boolean guarded = true;
    private SizeguardCloseException refusal;
    private boolean refusalReported;
    private boolean clientClosed;
    private volatile boolean connectionEnded;
    private boolean endReported;
    private volatile Runnable abort = () -> { };
    private volatile long lastInputNanos = System.nanoTime();

    private final byte[] headerBytes = new byte[FrameHeader.MAX_LENGTH];
    private int headerLength;

    // The frame whose payload is being read.
    private FrameHeader frame;
    private long payloadOffset;
    private boolean firstFragment;
    private byte[] control;

    // The read being relayed, kept only while inflation holds the rest of it back.
    private byte[] input;
    private int inputPosition;
    private int inputEnd;
    private boolean paused;

    // The data message in progress: its kind, or null between messages; its bytes as the frame headers declare them.
    private MessageKind messageKind;
    private long messageBytes;
    private boolean startReported;

    // The compressed message in progress, or null.
    private InflatingMessage inflating;
    private int messageOpcode;
    private boolean messageFirstFragment;
    private byte[] piece;
    private boolean moreInflated;
    private boolean tailGiven;

    /** A relay for a connection that negotiated no extension. */
    public FrameRelay() {
        this(false, null);
    }

    /**
     * @param permessageDeflate whether the handshake negotiated permessage-deflate for the connection
     * @param budget            what compressed messages reserve their inflater and buffers against
     */
    public FrameRelay(boolean permessageDeflate, MemoryBudget budget) {
        this.permessageDeflate = permessageDeflate;
        this.budget = budget;
    }

    /**
     * Whether this relay inflates compressed messages, so that the replies on its connection are the server's to
     * compress: permessage-deflate was negotiated and a guarded endpoint has attached.
     */
    public boolean inflates() {
        return permessageDeflate && listener != null;
    }

    /**
     * From now on, check each message against {@code limits} (bytes by kind) and report to {@code listener}; a
     * refusal seen before is reported now.
     */
    @Override
    public void attach(ToLongFunction<MessageKind> limits, ConnectionListener listener) {
        this.limits = limits;
        this.listener = listener;
        reportRefusal();
        reportEnd();
    }

    /**
     * The connection underneath has ended; frees a compressed message's inflater and tells the listener once (now, or
     * when it is attached). Any thread.
     */
    public void connectionEnded() {
        connectionEnded = true;
        synchronized (inflation) {
            if (inflating != null) {
                endInflation();
                state = State.BROKEN; // nothing the connection still delivers is read as frames
            }
        }
        reportEnd();
    }

    private synchronized void reportEnd() {
        if (connectionEnded && !endReported && listener != null) {
            endReported = true;
            listener.connectionEnded();
        }
    }

    /** Sets how {@link #abort()} closes the connection underneath; the relay's connection sets it. */
    void abortWith(Runnable abort) {
        this.abort = abort;
    }

    /**
     * Closes the connection underneath at once, without a closing handshake: for a session whose close the
     * WebSocket implementation could not complete (a client that does not read), so that neither its connection nor
     * the write the implementation blocks on outlives the session. Any thread.
     */
    @Override
    public void abort() {
        abort.run();
    }

    @Override
    public long lastInputNanos() {
        return lastInputNanos;
    }

    /** No guarded endpoint took the connection: relay it without limits, and leave violations to the container. */
    public void unguarded() {
        if (listener == null) {
            guarded = false;
        }
    }

    /** Whether the client's input has been refused on this connection (too big or a framing violation). */
    public boolean rejected() {
        return refusal != null;
    }

    /**
     * Whether the client's close frame has been passed on whole, or the relay no longer parses the stream of an
     * unguarded connection and so cannot tell: after it, nothing the client sends matters to the closing handshake.
     * After a framing violation the client's close frame can no longer be recognised, so this stays false.
     */
    public boolean clientClosed() {
        return clientClosed || state == State.TRANSPARENT;
    }

    /**
     * Consumes {@code length} bytes the client sent and appends what the container should read to {@code out}.
     * Bytes of an incomplete header or control frame are kept until more arrive. When a compressed message inflates
     * to more than one fragment, the relay keeps {@code bytes} and stops after that fragment: call {@link #resume}
     * until {@link #hasBacklog()} is false before accepting more.
     *
     * @throws IllegalStateException if the relay still holds back bytes of an earlier read
     */
    public void accept(byte[] bytes, int offset, int length, ByteArrayOutputStream out) {
        if (hasBacklog()) {
            throw new IllegalStateException("the relay still holds back part of the previous read");
        }
        if (length > 0) {
            lastInputNanos = System.nanoTime();
        }
        input = bytes;
        inputPosition = offset;
        inputEnd = offset + length;
        relay(out);
    }

    /**
     * Whether the relay holds back what it read (the rest of a read, or inflated output it has not passed on yet),
     * to be passed on by {@link #resume} before the next read.
     */
    public boolean hasBacklog() {
        return inputPosition < inputEnd || owesInflatedOutput();
    }

    /** Appends to {@code out} what the relay held back, at most one more fragment of inflated output. */
    public void resume(ByteArrayOutputStream out) {
        relay(out);
    }

    private boolean owesInflatedOutput() {
        return state == State.DATA && inflating != null && (moreInflated || payloadOffset == frame.length());
    }

    private void relay(ByteArrayOutputStream out) {
        synchronized (inflation) {
            paused = false;
            while (!paused && (inputPosition < inputEnd || owesInflatedOutput())) {
                inputPosition = switch (state) {
                    case HEADER -> readHeader(input, inputPosition, inputEnd, out);
                    case DATA -> inflating != null ? passCompressed(input, inputPosition, inputEnd, out)
                            : passData(input, inputPosition, inputEnd, out);
                    case CONTROL -> collectControl(input, inputPosition, inputEnd, out);
                    case SKIP -> skip(inputPosition, inputEnd);
                    case BROKEN -> inputEnd;
                    case TRANSPARENT -> {
                        out.write(input, inputPosition, inputEnd - inputPosition);
                        yield inputEnd;
                    }
                };
            }
            if (inputPosition >= inputEnd) {
                input = null; // the read's buffer is not kept
            }
            if (connectionEnded) {
                endInflation();
            }
        }
        // Listeners are told outside the lock: they close sessions, which may end the connection from another thread.
        reportRefusal();
        // A message still open after this read spans reads: its deadline should run from its first byte. One that
        // began and ended within the read is already complete, and costs no timer.
        if (!paused && messageKind != null && !startReported && refusal == null && listener != null) {
            startReported = true;
            listener.messageStarted(messageKind);
        }
    }

    private int readHeader(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        while (position < end && (headerLength < 2 || headerLength < neededHeaderLength())) {
            headerBytes[headerLength++] = bytes[position++];
            if (headerLength == 2) {
                String violation = FrameHeader.violationInFirstBytes(headerBytes[0] & 0xFF, headerBytes[1] & 0xFF,
                        permessageDeflate);
                if (violation != null) {
                    violated(violation, out);
                    return position;
                }
            }
        }
        if (headerLength < 2 || headerLength < neededHeaderLength()) {
            return position;
        }
        FrameHeader header = FrameHeader.parse(headerBytes);
        String violation = header.violation();
        if (violation == null) {
            violation = checkFragmentation(header);
        }
        if (violation != null) {
            violated(violation, out);
            return position;
        }
        headerLength = 0;
        startPayload(header, out);
        return position;
    }

    private int neededHeaderLength() {
        return FrameHeader.length(headerBytes[0] & 0xFF, headerBytes[1] & 0xFF);
    }

    /** The rule of §5.4 the frame breaks in the sequence of data frames, or {@code null}. */
    private String checkFragmentation(FrameHeader header) {
        if (header.opcode() == Opcode.CONTINUATION && messageKind == null) {
            return "continuation frame without a message to continue (RFC 6455 5.4)";
        }
        if ((header.opcode() == Opcode.TEXT || header.opcode() == Opcode.BINARY) && messageKind != null) {
            return "new data frame before the previous message ended (RFC 6455 5.4)";
        }
        return null;
    }

    private void startPayload(FrameHeader header, ByteArrayOutputStream out) {
        frame = header;
        payloadOffset = 0;
        firstFragment = true;
        if (Opcode.isControl(header.opcode())) {
            control = new byte[(int) header.length()];
            state = State.CONTROL;
            if (header.length() == 0) {
                endControl(out);
            }
            return;
        }
        if (header.opcode() != Opcode.CONTINUATION) {
            messageKind = header.opcode() == Opcode.TEXT ? MessageKind.TEXT : MessageKind.BINARY;
            messageBytes = 0;
            startReported = false;
        }
        state = admitData(header) ? State.DATA : State.SKIP;
        if (state == State.DATA && header.opcode() != Opcode.CONTINUATION && (header.rsv() & FrameHeader.RSV1) != 0
                && inflates()) {
            startInflation(header);
        }
        if (header.length() == 0 && inflating == null) {
            endData(out);
        }
    }

    /** A compressed message begins: it gets an inflater, or is refused with 1013 when the budget cannot hold one. */
    private void startInflation(FrameHeader header) {
        try {
            inflating = InflatingMessage.start(messageKind, limits.applyAsLong(messageKind), budget,
                    2L * MAX_FRAGMENT_PAYLOAD);
        } catch (BudgetExhaustedException spent) {
            refuse(spent);
            state = State.SKIP;
            return;
        }
        messageOpcode = header.opcode();
        messageFirstFragment = true;
        moreInflated = false;
        tailGiven = false;
    }

    /** @return whether the data frame fits its message's limit; refuses the message if it does not */
    private boolean admitData(FrameHeader header) {
        if (refusal != null) {
            return false;
        }
        // Saturating: a continuation declaring up to 2^63 - 1 bytes must not wrap the message's total around.
        long total = header.length() > Long.MAX_VALUE - messageBytes ? Long.MAX_VALUE : messageBytes + header.length();
        if (limits != null) {
            try {
                MessageTooBigException.requireWithin(messageKind, limits.applyAsLong(messageKind), total);
            } catch (MessageTooBigException tooBig) {
                refuse(tooBig);
                return false;
            }
        }
        messageBytes = total;
        return true;
    }

    private int passData(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        int take = (int) Math.min(Math.min(end - position, MAX_FRAGMENT_PAYLOAD), frame.length() - payloadOffset);
        boolean last = payloadOffset + take == frame.length();
        // The fragment's key is the client's, turned to where the fragment starts in the frame (RFC 6455 §5.3 masks
        // byte i with key byte i mod 4).
        int key = Integer.rotateLeft(frame.maskKey(), 8 * (int) (payloadOffset & 3));
        // A compressed frame of a connection the relay does not inflate keeps its RSV1 on its first fragment.
        FrameHeader.writeUnmasked(last && frame.fin(), firstFragment ? frame.rsv() : 0,
                firstFragment ? frame.opcode() : Opcode.CONTINUATION, take, out);
        out.writeBytes(unmasked(bytes, position, take, key));
        firstFragment = false;
        payloadOffset += take;
        if (last) {
            endData(out);
        }
        return position + take;
    }

    /**
     * One step of a compressed frame: gives the inflater the next compressed bytes of this read (once it has read the
     * previous ones), or the message's tail after its final frame, then passes on one piece of inflated output.
     */
    private int passCompressed(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        if (!moreInflated) {
            if (payloadOffset < frame.length()) {
                int take = (int) Math.min(end - position, frame.length() - payloadOffset);
                int key = Integer.rotateLeft(frame.maskKey(), 8 * (int) (payloadOffset & 3));
                payloadOffset += take;
                try {
                    inflating.input(unmasked(bytes, position, take, key), 0, take);
                } catch (SizeguardCloseException refused) {
                    failInflation(refused);
                    return position + take;
                }
                position += take;
            } else if (!frame.fin()) {
                state = State.HEADER; // the message goes on in a continuation frame
                return position;
            } else if (!tailGiven) {
                tailGiven = true;
                inflating.lastInput();
            }
        }
        inflatePiece(out);
        return position;
    }

    /**
     * Passes on what the inflater yields into one piece (a fragment); pauses the relay when the piece is full and
     * more may follow, and ends the message when its tail is inflated.
     */
    private void inflatePiece(ByteArrayOutputStream out) {
        if (piece == null || moreInflated && piece.length < MAX_FRAGMENT_PAYLOAD) {
            piece = new byte[piece == null ? FIRST_PIECE : piece.length * 2];
        }
        int n;
        try {
            n = inflating.inflate(piece, 0, piece.length);
        } catch (SizeguardCloseException refused) {
            failInflation(refused);
            return;
        }
        moreInflated = n == piece.length;
        boolean last = !moreInflated && tailGiven;
        if (n > 0 || last) {
            FrameHeader.writeUnmasked(last, 0, messageFirstFragment ? messageOpcode : Opcode.CONTINUATION, n, out);
            out.write(piece, 0, n);
            messageFirstFragment = false;
        }
        if (moreInflated) {
            paused = true; // the container takes this fragment before the relay inflates the next
        }
        if (last) {
            endInflation();
            endMessageIfFinal();
            state = State.HEADER;
        }
    }

    /** The compressed message is refused (too big, invalid): the rest of it is dropped uninflated. */
    private void failInflation(SizeguardCloseException refused) {
        endInflation();
        refuse(refused);
        if (payloadOffset < frame.length()) {
            state = State.SKIP;
        } else {
            endMessageIfFinal();
            state = State.HEADER;
        }
    }

    /** Frees the compressed message's inflater, its reservation and its piece. */
    private void endInflation() {
        if (inflating != null) {
            inflating.close();
            inflating = null;
        }
        piece = null;
        moreInflated = false;
        tailGiven = false;
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
            messageKind = null;
            messageBytes = 0;
        }
    }

    private int collectControl(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        int take = (int) Math.min(end - position, frame.length() - payloadOffset);
        for (int i = 0; i < take; i++) {
            control[(int) payloadOffset + i] = (byte) (bytes[position + i] ^ frame.maskByte(payloadOffset + i));
        }
        payloadOffset += take;
        if (payloadOffset == frame.length()) {
            endControl(out);
        }
        return position + take;
    }

    private void endControl(ByteArrayOutputStream out) {
        if (frame.opcode() == Opcode.CLOSE && control.length >= 2) {
            int code = (control[0] & 0xFF) << 8 | control[1] & 0xFF;
            if (!validCloseCode(code)) {
                violated("invalid close code " + code + " (RFC 6455 7.4)", out);
                return;
            }
        }
        FrameHeader.writeUnmasked(true, 0, frame.opcode(), control.length, out);
        out.write(control, 0, control.length);
        if (frame.opcode() == Opcode.CLOSE) {
            clientClosed = true;
        }
        control = null;
        state = State.HEADER;
    }

    /** Codes a peer may send (RFC 6455 §7.4.1 and §7.4.2, the IANA registry up to 1014, and 3000–4999). */
    private static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /**
     * {@code length} bytes from {@code offset} unmasked with {@code key} (its most significant byte first). The copy is
     * at most one fragment ({@value #MAX_FRAGMENT_PAYLOAD} bytes) of what one read brought, and lives only until the
     * relayed connection hands that read to the container: like the read buffer itself, it is not kept between reads
     * and so not reserved against the budget.
     */
    static byte[] unmasked(byte[] bytes, int offset, int length, int key) {
        byte[] plain = new byte[length];
        long key8 = (long) key << 32 | key & 0xFFFFFFFFL;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            LONGS.set(plain, i, (long) LONGS.get(bytes, offset + i) ^ key8);
        }
        for (; i < length; i++) {
            plain[i] = (byte) (bytes[offset + i] ^ key >>> 24 - 8 * (i & 3));
        }
        return plain;
    }

    private void violated(String rule, ByteArrayOutputStream out) {
        if (!guarded) {
            // Not ours to judge: the container gets the rest of the stream as the client sent it.
            out.write(headerBytes, 0, headerLength);
            headerLength = 0;
            state = State.TRANSPARENT;
            return;
        }
        headerLength = 0;
        control = null;
        state = State.BROKEN;
        refuse(new ProtocolViolationException(rule));
    }

    /**
     * Records the refusal, which {@link #relay} reports once the relay's lock is released. No data is passed on after
     * it, so a compressed message's inflater is freed at once.
     */
    private void refuse(SizeguardCloseException refused) {
        endInflation();
        if (refusal == null) {
            refusal = refused;
        }
    }

    private void reportRefusal() {
        if (refusal != null && !refusalReported && listener != null) {
            refusalReported = true;
            listener.refused(refusal);
        }
    }
}
