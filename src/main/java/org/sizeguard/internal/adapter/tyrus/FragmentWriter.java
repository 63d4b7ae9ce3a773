package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.sizeguard.internal.adapter.tyrus.FrameHeader.Opcode;

/**
 * Unmasks a client's data frame and passes it on re-fragmented: each fragment holds what one read brought of the
 * frame, at most {@value FrameRelay#MAX_FRAGMENT_PAYLOAD} bytes, unmasked (Tyrus accepts unmasked frames, and skips its
 * slow unmasking for them). The first fragment of a frame keeps the frame's opcode and reserved bits, the last its FIN
 * bit; the others are continuations. Fragmenting a message differently is invisible to endpoints (RFC 6455 §5.4).
 * <p>
 * Stateless: where a fragment starts is the payload offset the caller gives. Unmasks eight bytes at a time.
 */
final class FragmentWriter {

    /** Eight bytes of an array at a time, as a long in network order. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private FragmentWriter() {
    }

    /**
     * Writes the next fragment of {@code frame} to {@code out}: the payload from {@code payloadOffset} on, as far as
     * {@code bytes[position, end)} holds it, up to a fragment's payload.
     *
     * @return the payload bytes the fragment took from {@code bytes}
     */
    static int writeNext(FrameHeader frame, long payloadOffset, byte[] bytes, int position, int end,
            ByteArrayOutputStream out) {
        int take = (int) Math.min(Math.min(end - position, FrameRelay.MAX_FRAGMENT_PAYLOAD),
                frame.length() - payloadOffset);
        boolean first = payloadOffset == 0;
        boolean last = payloadOffset + take == frame.length();
        // A compressed frame of a connection the relay does not inflate keeps its RSV1 on its first fragment.
        FrameHeader.writeUnmasked(last && frame.fin(), first ? frame.rsv() : 0,
                first ? frame.opcode() : Opcode.CONTINUATION, take, out);
        out.writeBytes(unmaskedPayload(frame, payloadOffset, bytes, position, take));
        return take;
    }

    /**
     * {@code length} bytes of {@code frame}'s payload, from {@code payloadOffset} on, read from {@code bytes} at
     * {@code position} and unmasked.
     */
    static byte[] unmaskedPayload(FrameHeader frame, long payloadOffset, byte[] bytes, int position, int length) {
        // The key is the client's, turned to where these bytes start in the frame (RFC 6455 §5.3 masks byte i with
        // key byte i mod 4).
        return unmasked(bytes, position, length, Integer.rotateLeft(frame.maskKey(), 8 * (int) (payloadOffset & 3)));
    }

    /**
     * {@code length} bytes from {@code offset} unmasked with {@code key} (its most significant byte first). The copy is
     * at most one fragment ({@value FrameRelay#MAX_FRAGMENT_PAYLOAD} bytes) of what one read brought, and lives only
     * until the relayed connection hands that read to the container: like the read buffer itself, it is not kept
     * between reads and so not reserved against the budget.
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
}
