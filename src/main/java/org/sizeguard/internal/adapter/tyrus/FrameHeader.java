package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

import org.sizeguard.internal.adapter.ReservedBits;

/**
 * The header of one WebSocket frame as RFC 6455 §5.2 lays it out: 2 to 14 bytes.
 *
 * @param fin     whether this is the last frame of its message
 * @param rsv     the three reserved bits (RSV1 is 4, RSV2 2, RSV3 1)
 * @param opcode  the frame's {@link Opcode}
 * @param masked  whether the payload is masked (every client frame must be, §5.1)
 * @param length  the payload length as declared; negative if a 64-bit length has its most significant bit set
 * @param maskKey the 4-byte masking key, first byte in the most significant position (0 if not masked)
 */
record FrameHeader(boolean fin, int rsv, int opcode, boolean masked, long length, int maskKey) {

    /** The longest header: 2 bytes, a 64-bit length and a masking key. */
    static final int MAX_LENGTH = 14;

    /** The longest payload of a control frame (§5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;

    /**
     * How many bytes the header starting with {@code first} and {@code second} takes in all.
     */
    static int length(int first, int second) {
        int length7 = second & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        return 2 + extended + ((second & 0x80) != 0 ? 4 : 0);
    }

    /** Reads a complete header from {@code bytes[0 .. length(bytes[0], bytes[1]))}. */
    static FrameHeader parse(byte[] bytes) {
        int b0 = bytes[0] & 0xFF;
        int b1 = bytes[1] & 0xFF;
        boolean masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        int position = 2;
        long length;
        if (length7 < 126) {
            length = length7;
        } else {
            int count = length7 == 126 ? 2 : 8;
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (bytes[position++] & 0xFF);
            }
        }
        int maskKey = 0;
        if (masked) {
            for (int i = 0; i < 4; i++) {
                maskKey = (maskKey << 8) | (bytes[position++] & 0xFF);
            }
        }
        return new FrameHeader((b0 & 0x80) != 0, (b0 >>> 4) & 0x7, b0 & 0x0F, masked, length, maskKey);
    }

    /** RSV1, the bit permessage-deflate gives the first frame of a compressed message (RFC 7692 6). */
    static final int RSV1 = ReservedBits.RSV1;

    /**
     * The first framing rule that the first two bytes of a client frame break, or {@code null}: what can be judged
     * before the extended length and the masking key have arrived.
     *
     * @param permessageDeflate whether the connection negotiated permessage-deflate, which lets RSV1 be set on the
     *                          first frame of a data message
     */
    static String violationInFirstBytes(int first, int second, boolean permessageDeflate) {
        int opcode = first & 0x0F;
        String reserved = ReservedBits.violation((first >>> 4) & 0x7, opcode, permessageDeflate);
        if (reserved != null) {
            return reserved;
        }
        if (!Opcode.isDefined(opcode)) {
            return "reserved opcode 0x" + Integer.toHexString(opcode) + " (RFC 6455 5.2)";
        }
        if ((second & 0x80) == 0) {
            return "client frame is not masked (RFC 6455 5.1)";
        }
        if (Opcode.isControl(opcode)) {
            if ((first & 0x80) == 0) {
                return "fragmented control frame (RFC 6455 5.5)";
            }
            if ((second & 0x7F) > MAX_CONTROL_PAYLOAD) {
                return "control frame payload exceeds 125 bytes (RFC 6455 5.5)";
            }
        }
        return null;
    }

    /** The rule the complete header breaks that its first two bytes did not show, or {@code null}. */
    String violation() {
        if (length < 0) {
            return "frame length has its most significant bit set (RFC 6455 5.2)";
        }
        if (opcode == Opcode.CLOSE && length == 1) {
            return "close frame with a 1-byte payload (RFC 6455 5.5.1)";
        }
        return null;
    }

    /**
     * Writes the header of a frame whose payload follows unmasked: the relay's frames to Tyrus (which reads unmasked
     * frames, and unmasks a masked payload one byte at a time with a modulo, which made it the most expensive step of
     * a large message; the relay has checked the client's masking already), and the server's frames to the client.
     */
    static void writeUnmasked(boolean fin, int rsv, int opcode, int length, ByteArrayOutputStream out) {
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        if (length < 126) {
            out.write(length);
        } else if (length <= 0xFFFF) {
            out.write(126);
            out.write(length >>> 8);
            out.write(length & 0xFF);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift) & 0xFF);
            }
        }
    }

    /** The masking key's byte for payload offset {@code offset}. */
    byte maskByte(long offset) {
        return (byte) (maskKey >>> (24 - 8 * (int) (offset & 3)));
    }

    /** The named opcodes of RFC 6455 §5.2; every other value is reserved. */
    static final class Opcode {
        static final int CONTINUATION = 0x0;
        static final int TEXT = 0x1;
        static final int BINARY = 0x2;
        static final int CLOSE = 0x8;
        static final int PING = 0x9;
        static final int PONG = 0xA;

        private Opcode() {
        }

        static boolean isControl(int opcode) {
            return (opcode & 0x8) != 0;
        }

        static boolean isDefined(int opcode) {
            return opcode <= BINARY || opcode >= CLOSE && opcode <= PONG;
        }
    }
}
