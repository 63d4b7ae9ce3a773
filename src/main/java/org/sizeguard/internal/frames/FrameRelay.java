package org.sizeguard.internal.frames;

import java.io.ByteArrayOutputStream;
import java.util.function.ToLongFunction;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;

/**
 * Reads the client-to-server byte stream of one WebSocket connection frame by frame (RFC 6455 §5.2), below the
 * container's own WebSocket implementation, and passes on what the container should see.
 * <ul>
 * <li><b>Rejects from the header.</b> When a data frame's header declares a payload that would take its message
 * over its limit, the relay reports {@link MessageTooBigException} to its {@link Listener} before a
 * byte of that payload is read or passed on, as Node {@code ws} does. The frame and every later data frame are
 * then dropped; control frames (the client's close reply, pings) still pass, so the container can finish the
 * closing handshake.</li>
 * <li><b>Bounds the container's buffer.</b> Frames are passed on in fragments of at most
 * {@link #MAX_FRAGMENT_PAYLOAD} payload bytes (re-masked with a zero key), so a container that buffers a whole
 * frame before parsing it (Tyrus) never holds more than that per connection, whatever frame the client sent.
 * Fragmenting a message differently is invisible to endpoints (RFC 6455 §5.4).</li>
 * </ul>
 * Until limits are {@linkplain #attach(ToLongFunction, Listener) attached} the relay passes frames on
 * unchanged. Anything it does not understand as a well-formed masked client frame without extension bits (a
 * negotiated extension such as permessage-deflate, a protocol error) makes it pass the rest of the connection
 * through untouched, leaving the container to apply its own rules and Sizeguard's message-level counting.
 * <p>
 * Not thread-safe: one connection's input is read by one thread at a time.
 */
public final class FrameRelay {

    /** The largest payload of a frame the relay passes on: 64 KiB. */
    public static final int MAX_FRAGMENT_PAYLOAD = 64 * 1024;

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;

    /** Told, on the reading thread, what the relay sees. */
    public interface Listener {
        /**
         * A data message of {@code kind} has begun and is not complete at the end of the bytes read so far: its
         * first bytes have arrived, the rest will come in later reads. Reported once per message.
         */
        void messageStarted(MessageKind kind);

        /** A message is over its limit; the relay drops it and every later data frame. */
        void tooBig(MessageTooBigException tooBig);
    }

    private enum Mode { FRAMES, PASS_THROUGH }

    private static final int OPCODE_CLOSE = 0x8;

    private Mode mode = Mode.FRAMES;
    private boolean clientClosed;
    private ToLongFunction<MessageKind> limits;
    private Listener listener;
    private boolean rejected;

    private final byte[] header = new byte[14];
    private int headerLength;

    // The frame whose payload is being read.
    private boolean inPayload;
    private boolean fin;
    private int opcode;
    private long payloadRemaining;
    private long payloadOffset;
    private final byte[] maskKey = new byte[4];
    private boolean forwardFrame;
    private boolean firstFragment;

    // The data message in progress.
    private MessageKind messageKind;
    private long messageBytes;
    private boolean startReported;

    private final byte[] fragment = new byte[MAX_FRAGMENT_PAYLOAD];
    private int fragmentLength;

    /**
     * From now on, check each message against {@code limits} (bytes by kind) and report to {@code listener}.
     */
    public void attach(ToLongFunction<MessageKind> limits, Listener listener) {
        this.limits = limits;
        this.listener = listener;
    }

    /** Whether an over-limit message has been rejected on this connection. */
    public boolean rejected() {
        return rejected;
    }

    /**
     * Whether the client's close frame has been passed on whole, or the relay no longer parses the stream (pass
     * through) and so cannot tell: after it, nothing the client sends matters to the closing handshake.
     */
    public boolean clientClosed() {
        return clientClosed || mode == Mode.PASS_THROUGH;
    }

    /**
     * Consumes {@code length} bytes the client sent and appends what the container should read to {@code out}.
     * Bytes of an incomplete header or fragment are kept until more arrive (at most
     * {@value #MAX_FRAGMENT_PAYLOAD} + 14 bytes).
     */
    public void accept(byte[] bytes, int offset, int length, ByteArrayOutputStream out) {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (mode == Mode.PASS_THROUGH) {
                out.write(bytes, position, end - position);
                return;
            }
            if (!inPayload) {
                position = readHeader(bytes, position, end, out);
            } else {
                position = readPayload(bytes, position, end, out);
            }
        }
        // A message still open after this read spans reads: its deadline should run from its first byte. One that
        // began and ended within the read is already complete, and costs no timer.
        if (messageKind != null && !startReported && !rejected && listener != null) {
            startReported = true;
            listener.messageStarted(messageKind);
        }
    }

    private int readHeader(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        while (position < end && headerLength < neededHeaderLength()) {
            header[headerLength++] = bytes[position++];
        }
        if (headerLength < neededHeaderLength()) {
            return position;
        }
        startFrame(out);
        return position;
    }

    private int neededHeaderLength() {
        if (headerLength < 2) {
            return 2;
        }
        int length7 = header[1] & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        int mask = (header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + extended + mask;
    }

    private void startFrame(ByteArrayOutputStream out) {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        boolean masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        long length = length7 < 126 ? length7 : length7 == 126 ? readUnsigned(header, 2, 2) : readUnsigned(header, 2, 8);
        boolean control = (b0 & 0x08) != 0;
        if ((b0 & 0x70) != 0 || !masked || length < 0 || control && ((b0 & 0x80) == 0 || length > 125)) {
            passThroughFromHere(out);
            return;
        }
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        if (control) {
            forwardFrame = true;
        } else if (!startData(length)) {
            passThroughFromHere(out);
            return;
        }
        System.arraycopy(header, headerLength - 4, maskKey, 0, 4);
        payloadRemaining = length;
        payloadOffset = 0;
        firstFragment = true;
        fragmentLength = 0;
        headerLength = 0;
        inPayload = true;
        if (payloadRemaining == 0) {
            endFrame(out);
        }
    }

    /** @return false if the frame breaks the fragmentation rules; the container should judge it then */
    private boolean startData(long length) {
        if (opcode == OPCODE_TEXT || opcode == OPCODE_BINARY) {
            if (messageKind != null) {
                return false;
            }
            messageKind = opcode == OPCODE_TEXT ? MessageKind.TEXT : MessageKind.BINARY;
            messageBytes = 0;
            startReported = false;
        } else if (opcode != OPCODE_CONTINUATION || messageKind == null) {
            return false;
        }
        if (rejected) {
            forwardFrame = false;
        } else if (limits != null && messageBytes + length > limits.applyAsLong(messageKind)) {
            forwardFrame = false;
            rejected = true;
            long limit = limits.applyAsLong(messageKind);
            listener.tooBig(new MessageTooBigException(messageKind, limit, messageBytes + length));
        } else {
            forwardFrame = true;
            messageBytes += length;
        }
        return true;
    }

    private int readPayload(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        int available = (int) Math.min(end - position, payloadRemaining);
        if (!forwardFrame) {
            payloadRemaining -= available;
            position += available;
        } else {
            int take = Math.min(available, MAX_FRAGMENT_PAYLOAD - fragmentLength);
            for (int i = 0; i < take; i++) {
                fragment[fragmentLength + i] = (byte) (bytes[position + i] ^ maskKey[(int) ((payloadOffset + i) & 3)]);
            }
            fragmentLength += take;
            payloadOffset += take;
            payloadRemaining -= take;
            position += take;
            if (fragmentLength == MAX_FRAGMENT_PAYLOAD && payloadRemaining > 0) {
                emitFragment(false, out);
            }
        }
        if (payloadRemaining == 0) {
            endFrame(out);
        }
        return position;
    }

    private void endFrame(ByteArrayOutputStream out) {
        if (forwardFrame) {
            emitFragment(fin, out);
        }
        if (opcode == OPCODE_CLOSE) {
            clientClosed = true;
        }
        inPayload = false;
        if (opcode < 0x8 && fin) {
            messageKind = null;
            messageBytes = 0;
        }
    }

    private void emitFragment(boolean last, ByteArrayOutputStream out) {
        int emittedOpcode = firstFragment ? opcode : OPCODE_CONTINUATION;
        out.write((last ? 0x80 : 0) | emittedOpcode);
        if (fragmentLength < 126) {
            out.write(0x80 | fragmentLength);
        } else if (fragmentLength <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(fragmentLength >>> 8);
            out.write(fragmentLength & 0xFF);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) fragmentLength >>> shift) & 0xFF);
            }
        }
        // A zero masking key: the payload goes on as it is, already unmasked (RFC 6455 §5.3 allows any key).
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(fragment, 0, fragmentLength);
        fragmentLength = 0;
        firstFragment = false;
    }

    private void passThroughFromHere(ByteArrayOutputStream out) {
        out.write(header, 0, headerLength);
        headerLength = 0;
        inPayload = false;
        mode = Mode.PASS_THROUGH;
    }

    private static long readUnsigned(byte[] bytes, int offset, int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
