package org.sizeguard.internal.adapter.deflate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * One reply of a permessage-deflate connection being compressed frame by frame (RFC 7692 7.2.1), with a deflater
 * borrowed from the application's {@link DeflaterPool} at its first frame and given back by {@link #finish()}. Each
 * frame's output ends with a sync flush, so the client can inflate every frame as it arrives; the last frame's
 * output drops the flush's empty block, as the RFC asks.
 * <p>
 * The compressed copy of a frame is at most the frame plus deflate's small worst-case expansion and lives until the
 * container has written it. It is not reserved of its own: the reply it is made from stays reserved in the session's
 * outbound queue until that write completes. Not thread-safe: one message is written by one thread at a time.
 */
public final class DeflatingMessage {

    /** RFC 7692 7.2.1: what a sync flush ends with, removed from the end of each message. */
    private static final int TAIL_LENGTH = 4;

    /** A stored deflate block holds at most this many bytes (RFC 1951 3.2.4). */
    private static final int STORED_BLOCK = 65_535;

    private final DeflaterPool pool;
    private Deflater deflater;

    private DeflatingMessage(DeflaterPool pool, Deflater deflater) {
        this.pool = pool;
        this.deflater = deflater;
    }

    /** A message compressed with one of {@code pool}'s deflaters, or {@code null} when none is free. */
    public static DeflatingMessage start(DeflaterPool pool) {
        Deflater deflater = pool.borrow();
        return deflater == null ? null : new DeflatingMessage(pool, deflater);
    }

    /** The compressed payload of the message's next frame, whose payload is {@code data}; {@code last} for its last. */
    public ByteBuffer frame(ByteBuffer data, boolean last) {
        deflater.setInput(data);
        byte[] out = new byte[Math.max(64, data.remaining() + data.remaining() / 8 + 64)];
        int length = 0;
        while (true) {
            if (length == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
            // A sync flush that did not fill the buffer has written everything given.
            if (length < out.length) {
                break;
            }
        }
        // The sync flush's empty block (00 00 ff ff) is not sent at the end of a message. A flush that had nothing to
        // add after the previous frame's writes nothing; the client then inflates one empty block more, harmlessly.
        if (last && endsWithFlushBlock(out, length)) {
            length -= TAIL_LENGTH;
        }
        return ByteBuffer.wrap(out, 0, length);
    }

    private static boolean endsWithFlushBlock(byte[] out, int length) {
        return length >= TAIL_LENGTH && out[length - 4] == 0 && out[length - 3] == 0 && out[length - 2] == (byte) 0xff
                && out[length - 1] == (byte) 0xff;
    }

    /** Gives the deflater back; once the last frame is out, or when the connection ends before it. */
    public void finish() {
        if (deflater != null) {
            pool.giveBack(deflater);
            deflater = null;
        }
    }

    /**
     * {@code data} in stored deflate blocks (RFC 1951 3.2.4): valid deflate data that needs no deflater, for a
     * message that found none free where every message must be compressed. Five bytes more per 64 KiB than
     * {@code data}, held as {@link #frame}'s output is.
     */
    public static ByteBuffer storedBlocks(ByteBuffer data) {
        int blocks = Math.max(1, (data.remaining() + STORED_BLOCK - 1) / STORED_BLOCK);
        ByteBuffer out = ByteBuffer.allocate(data.remaining() + 5 * blocks);
        do {
            int n = Math.min(STORED_BLOCK, data.remaining());
            out.put((byte) 0x00).put((byte) n).put((byte) (n >>> 8)).put((byte) ~n).put((byte) (~n >>> 8));
            ByteBuffer block = data.slice();
            block.limit(n);
            out.put(block);
            data.position(data.position() + n);
        } while (data.hasRemaining());
        return out.flip();
    }
}
