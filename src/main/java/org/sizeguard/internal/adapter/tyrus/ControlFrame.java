package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

import org.sizeguard.internal.adapter.tyrus.FrameHeader.Opcode;

/**
 * A client's control frame (close, ping, pong: at most 125 bytes, RFC 6455 §5.5), collected unmasked across reads and
 * passed on whole once complete, unless it is a close frame with a code no peer may send (§7.4). Holds the payload
 * only from the frame's header to its end. Not thread-safe.
 */
final class ControlFrame {

    private FrameHeader frame;
    private byte[] payload;
    private int collected;

    /** A control frame begins with {@code header}; its payload follows. */
    void start(FrameHeader header) {
        frame = header;
        payload = new byte[(int) header.length()];
        collected = 0;
    }

    /**
     * Unmasks the frame's payload from {@code bytes[position, end)}, as much as belongs to it.
     *
     * @return where the frame's bytes end in {@code bytes}, or {@code end}
     */
    int collect(byte[] bytes, int position, int end) {
        int take = Math.min(end - position, payload.length - collected);
        for (int i = 0; i < take; i++) {
            payload[collected + i] = (byte) (bytes[position + i] ^ frame.maskByte(collected + i));
        }
        collected += take;
        return position + take;
    }

    /** Whether the whole payload is in. */
    boolean complete() {
        return collected == payload.length;
    }

    /** The rule the complete frame breaks (a close code no peer may send), or {@code null}. */
    String violation() {
        if (frame.opcode() == Opcode.CLOSE && payload.length >= 2) {
            int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
            if (!validCloseCode(code)) {
                return "invalid close code " + code + " (RFC 6455 7.4)";
            }
        }
        return null;
    }

    /**
     * Passes the complete frame on, unmasked, and lets go of its payload.
     *
     * @return whether it was the client's close frame
     */
    boolean passOn(ByteArrayOutputStream out) {
        FrameHeader.writeUnmasked(true, 0, frame.opcode(), payload.length, out);
        out.write(payload, 0, payload.length);
        clear();
        return frame.opcode() == Opcode.CLOSE;
    }

    /** Lets go of the payload (after a violation). */
    void clear() {
        payload = null;
    }

    /** Codes a peer may send (RFC 6455 §7.4.1 and §7.4.2, the IANA registry up to 1014, and 3000–4999). */
    private static boolean validCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
