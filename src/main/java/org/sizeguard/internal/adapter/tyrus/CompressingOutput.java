package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import org.sizeguard.internal.adapter.deflate.DeflaterPool;
import org.sizeguard.internal.adapter.deflate.DeflatingMessage;
import org.sizeguard.internal.adapter.tyrus.FrameHeader.Opcode;

/**
 * The server's side of permessage-deflate (RFC 7692) under Tyrus: the frames Tyrus writes to a connection that
 * negotiated it, with each data message of at least {@value #THRESHOLD} bytes (or sent in fragments) compressed on
 * the way, RSV1 on its first frame. Tyrus does not know the extension; it writes plain frames, each as one write, and
 * this stream rewrites them: one write of Tyrus's becomes one write to the container, so the servlet stream's
 * non-blocking contract holds. Frames split across writes are handled too, a piece at a time.
 * <p>
 * A message goes out uncompressed (allowed by the RFC) when it is smaller than the threshold, when all of the
 * application's pooled deflaters are in use, when it already carries RSV1 (an extension of Tyrus's own compressed it),
 * and as long as no guarded endpoint has attached to the connection ({@code compressing} false). Control frames pass
 * as they are.
 * <p>
 * Threading: Tyrus writes one frame at a time (its writer is synchronized); {@link #release()} may come from another
 * thread when the connection ends and gives back a deflater still held. The container's stream is written outside
 * this class's lock, so a write blocked on a client that does not read never keeps the connection from closing.
 */
final class CompressingOutput extends ServletOutputStream {

    /** Messages smaller than this go uncompressed: below it, deflate's overhead outweighs what it saves. */
    static final int THRESHOLD = 128;

    private final ServletOutputStream container;
    private final DeflaterPool deflaters;
    private final BooleanSupplier compressing;

    private final byte[] header = new byte[FrameHeader.MAX_LENGTH];
    private int headerLength;
    /** The frame whose payload is being written, or null while a header is read. */
    private FrameHeader frame;
    private long payloadLeft;
    private boolean compressFrame;

    // The data message in progress.
    private DeflatingMessage message;
    private boolean messageCompressed;
    private boolean firstFrameOfMessage;
    private boolean released;

    /**
     * @param compressing whether replies on the connection are the server's to compress (asked at each message)
     */
    CompressingOutput(ServletOutputStream container, DeflaterPool deflaters, BooleanSupplier compressing) {
        this.container = container;
        this.deflaters = deflaters;
        this.compressing = compressing;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 16);
        synchronized (this) {
            if (released) {
                out.write(bytes, offset, length);
            } else {
                rewrite(bytes, offset, offset + length, out);
            }
        }
        if (out.size() > 0) {
            container.write(out.toByteArray());
        }
    }

    private void rewrite(byte[] bytes, int position, int end, ByteArrayOutputStream out) {
        while (position < end) {
            if (frame == null) {
                header[headerLength++] = bytes[position++];
                if (headerLength >= 2 && headerLength == FrameHeader.length(header[0] & 0xFF, header[1] & 0xFF)) {
                    startFrame(FrameHeader.parse(header), out);
                    headerLength = 0;
                }
            } else {
                int take = (int) Math.min(end - position, payloadLeft);
                payloadLeft -= take;
                if (compressFrame) {
                    compress(ByteBuffer.wrap(bytes, position, take), out);
                } else {
                    out.write(bytes, position, take);
                }
                position += take;
            }
            if (frame != null && payloadLeft == 0) {
                endFrame(out);
            }
        }
    }

    private void startFrame(FrameHeader started, ByteArrayOutputStream out) {
        frame = started;
        payloadLeft = started.length();
        int opcode = started.opcode();
        if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
            firstFrameOfMessage = true;
            messageCompressed = started.rsv() == 0 && !started.masked()
                    && (!started.fin() || started.length() >= THRESHOLD) && compressing.getAsBoolean()
                    && (message = DeflatingMessage.start(deflaters)) != null;
        }
        compressFrame = !Opcode.isControl(opcode) && messageCompressed;
        if (!compressFrame) {
            out.write(header, 0, FrameHeader.length(header[0] & 0xFF, header[1] & 0xFF));
        }
    }

    /** One piece of a compressed frame's payload, as a frame of its own (the last piece keeps the frame's FIN). */
    private void compress(ByteBuffer piece, ByteArrayOutputStream out) {
        boolean last = payloadLeft == 0 && frame.fin();
        ByteBuffer compressed = message.frame(piece, last);
        int rsv = firstFrameOfMessage ? FrameHeader.RSV1 : 0;
        int opcode = firstFrameOfMessage ? frame.opcode() : Opcode.CONTINUATION;
        FrameHeader.writeUnmasked(last, rsv, opcode, compressed.remaining(), out);
        out.write(compressed.array(), compressed.arrayOffset() + compressed.position(), compressed.remaining());
        firstFrameOfMessage = false;
    }

    private void endFrame(ByteArrayOutputStream out) {
        if (compressFrame && frame.length() == 0) {
            compress(ByteBuffer.allocate(0), out); // an empty frame still goes out, as a frame of the message
        }
        if (!Opcode.isControl(frame.opcode()) && frame.fin()) {
            finishMessage();
        }
        frame = null;
    }

    private void finishMessage() {
        if (message != null) {
            message.finish();
            message = null;
        }
        messageCompressed = false;
    }

    /** The connection has ended: gives back a deflater still held; later writes pass as they are. Any thread. */
    synchronized void release() {
        released = true;
        finishMessage();
    }

    @Override
    public boolean isReady() {
        return container.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        container.setWriteListener(listener);
    }

    @Override
    public void flush() throws IOException {
        container.flush();
    }

    @Override
    public void close() throws IOException {
        release();
        container.close();
    }
}
