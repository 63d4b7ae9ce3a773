package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.ProtocolViolationException;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.SessionLimits;
import org.sizeguard.internal.adapter.deflate.InflatingMessage;

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
 * The relay holds the attached session's limits and listener and reports to it; its {@link RelayedConnection} is the
 * connection the core sees ({@link GuardedConnection}). Reading the stream is the {@link FrameReader}'s (a state machine), unmasking and
 * re-fragmenting the {@link FragmentWriter}'s, inflating a message the {@link CompressedInput}'s.
 * <p>
 * Not thread-safe: one connection's input is read by one thread at a time.
 */
public final class FrameRelay {

    /** The largest payload of a data fragment the relay passes on: 64 KiB. */
    public static final int MAX_FRAGMENT_PAYLOAD = 64 * 1024;

    private final boolean permessageDeflate;
    private final FrameReader reader;
    /** Guards the reader (its inflater) between the reading thread and the end of the connection, on any thread. */
    private final Object reading = new Object();

    /** The attached session's limits, read once per message; none until a session attaches. */
    private volatile SessionLimits limits = SessionLimits.NONE;
    private ConnectionListener listener;
    private boolean refusalReported;
    private volatile boolean connectionEnded;
    private boolean endReported;
    private volatile long lastInputNanos = System.nanoTime();

    // The read being relayed, kept only while the reader holds the rest of it back.
    private byte[] input;
    private int inputPosition;
    private int inputEnd;

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
        this.reader = new FrameReader(permessageDeflate, budget, new FrameReader.Guard() {
            @Override
            public long limit(MessageKind kind) {
                return limits.of(kind);
            }

            @Override
            public boolean inflates() {
                return FrameRelay.this.inflates();
            }
        });
    }

    /**
     * Whether this relay inflates compressed messages, so that the replies on its connection are the server's to
     * compress: permessage-deflate was negotiated and a guarded endpoint has attached.
     */
    public boolean inflates() {
        return permessageDeflate && listener != null;
    }

    /**
     * From the next message on, check each message against {@code limits} and report to {@code listener}; a refusal
     * seen before is reported now.
     */
    public void attach(SessionLimits limits, ConnectionListener listener) {
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
        synchronized (reading) {
            reader.connectionEnded();
        }
        reportEnd();
    }

    private synchronized void reportEnd() {
        if (connectionEnded && !endReported && listener != null) {
            endReported = true;
            listener.connectionEnded();
        }
    }

    /** When input last arrived, data or control ({@link System#nanoTime()}). */
    public long lastInputNanos() {
        return lastInputNanos;
    }

    /** No guarded endpoint took the connection: relay it without limits, and leave violations to the container. */
    public void unguarded() {
        if (listener == null) {
            reader.unguarded();
        }
    }

    /** Whether the client's input has been refused on this connection (too big or a framing violation). */
    public boolean rejected() {
        return reader.refusal() != null;
    }

    /**
     * Whether the client's close frame has been passed on whole, or the relay no longer parses the stream of an
     * unguarded connection and so cannot tell: after it, nothing the client sends matters to the closing handshake.
     * After a framing violation the client's close frame can no longer be recognised, so this stays false.
     */
    public boolean clientClosed() {
        return reader.clientClosed();
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
        return inputPosition < inputEnd || reader.owesOutput();
    }

    /** Appends to {@code out} what the relay held back, at most one more fragment of inflated output. */
    public void resume(ByteArrayOutputStream out) {
        relay(out);
    }

    private void relay(ByteArrayOutputStream out) {
        boolean paused;
        synchronized (reading) {
            inputPosition = reader.read(input, inputPosition, inputEnd, out);
            if (inputPosition >= inputEnd) {
                input = null; // the read's buffer is not kept
            }
            paused = reader.paused();
            if (connectionEnded) {
                reader.connectionEnded();
            }
        }
        // Listeners are told outside the lock: they close sessions, which may end the connection from another thread.
        reportRefusal();
        // A message still open after this read spans reads: its deadline should run from its first byte. One that
        // began and ended within the read is already complete, and costs no timer.
        if (!paused && listener != null) {
            MessageKind started = reader.reportStart();
            if (started != null) {
                listener.messageStarted(started);
            }
        }
    }

    /** The relay's unmasking, as {@link FragmentWriter#unmasked} does it. */
    static byte[] unmasked(byte[] bytes, int offset, int length, int key) {
        return FragmentWriter.unmasked(bytes, offset, length, key);
    }

    private void reportRefusal() {
        SizeguardCloseException refusal = reader.refusal();
        if (refusal != null && !refusalReported && listener != null) {
            refusalReported = true;
            listener.refused(refusal);
        }
    }
}
