package org.sizeguard.internal.adapter;

/**
 * The rule of a frame's three reserved bits (RFC 6455 §5.2, RFC 7692 §6), the same for every adapter that sees
 * frames: without a negotiated extension no reserved bit may be set; with permessage-deflate, RSV1 may be set, and
 * only on the first frame of a data message (a text or binary frame). Frames are named by their RFC 6455 opcodes.
 * Stateless and thread-safe.
 */
public final class ReservedBits {

    /** RSV1, the bit permessage-deflate gives the first frame of a compressed message (RFC 7692 §6). */
    public static final int RSV1 = 0b100;

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PONG = 0xA;

    private ReservedBits() {
    }

    /**
     * What the reserved bits of a client frame break, as a close reason (1002), or {@code null} if they break
     * nothing.
     *
     * @param rsv               the three reserved bits, RSV1 being {@value #RSV1}, RSV2 2 and RSV3 1
     * @param opcode            the frame's opcode (RFC 6455 §5.2), defined or reserved
     * @param permessageDeflate whether the connection negotiated permessage-deflate
     * @return {@code "RSV1 set on a continuation frame (RFC 7692 6)"} (or {@code "... control frame ..."}) for RSV1
     *         alone on a frame of a defined opcode other than text or binary under permessage-deflate;
     *         {@code "reserved bits 011 set without a negotiated extension (RFC 6455 5.2)"} for any other bits set
     *         that the connection did not negotiate; else {@code null}
     */
    public static String violation(int rsv, int opcode, boolean permessageDeflate) {
        if (rsv == 0 || permessageDeflate && rsv == RSV1 && (opcode == TEXT || opcode == BINARY)) {
            return null;
        }
        if (permessageDeflate && rsv == RSV1 && isDefined(opcode)) {
            return "RSV1 set on a " + (opcode == CONTINUATION ? "continuation" : "control") + " frame (RFC 7692 6)";
        }
        return "reserved bits " + Integer.toBinaryString(rsv | 0b1000).substring(1)
                + " set without a negotiated extension (RFC 6455 5.2)";
    }

    private static boolean isDefined(int opcode) {
        return opcode <= BINARY || opcode >= CLOSE && opcode <= PONG;
    }
}
