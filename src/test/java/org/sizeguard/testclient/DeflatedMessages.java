package org.sizeguard.testclient;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Messages as permessage-deflate (RFC 7692) puts them on the wire, for clients that compress on a raw socket: raw
 * deflate of one message with a fresh context, sync-flushed, the flush's four trailing bytes removed (7.2.1); and
 * back (7.2.2: the four bytes appended again, then inflated).
 */
public final class DeflatedMessages {

    /** What RFC 7692 7.2.1 removes from the end of every compressed message. */
    public static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    /** The RSV1 bit of a frame's first byte, as {@link RawWebSocketClient#sendFrame} takes reserved bits. */
    public static final int RSV1 = 4;

    private DeflatedMessages() {
    }

    /** {@code message} compressed at {@code level} (0–9). */
    public static byte[] compressed(byte[] message, int level) {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(message);
            return flushed(deflater, new ByteArrayOutputStream());
        } finally {
            deflater.end();
        }
    }

    /** {@code length} bytes of {@code value}, compressed a MiB at a time at the best level: a bomb never held whole. */
    public static byte[] compressedRun(long length, byte value) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] mebibyte = new byte[1 << 20];
            Arrays.fill(mebibyte, value);
            byte[] buffer = new byte[64 * 1024];
            for (long left = length; left > 0; left -= mebibyte.length) {
                deflater.setInput(mebibyte, 0, (int) Math.min(left, mebibyte.length));
                while (!deflater.needsInput()) {
                    out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
                }
            }
            return flushed(deflater, out);
        } finally {
            deflater.end();
        }
    }

    private static byte[] flushed(Deflater deflater, ByteArrayOutputStream out) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - TAIL.length);
    }

    /** The message a compressed payload (without the four trailing bytes) holds. */
    public static byte[] inflated(byte[] payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = Arrays.copyOf(payload, payload.length + TAIL.length);
            System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.needsInput()) {
                out.write(buffer, 0, inflater.inflate(buffer));
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
