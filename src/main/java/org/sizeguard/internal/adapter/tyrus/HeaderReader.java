package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;

/**
 * Collects one frame header across reads (2 to 14 bytes, RFC 6455 §5.2), judging its first two bytes as soon as they
 * are in, so that a broken frame is refused before its extended length and masking key arrive. Holds at most a header
 * between reads. Not thread-safe.
 */
final class HeaderReader {

    private final boolean permessageDeflate;
    private final byte[] bytes = new byte[FrameHeader.MAX_LENGTH];
    private int length;
    private String violation;

    /** @param permessageDeflate whether the connection negotiated permessage-deflate (RSV1 on a data message) */
    HeaderReader(boolean permessageDeflate) {
        this.permessageDeflate = permessageDeflate;
    }

    /**
     * Takes header bytes from {@code in[position, end)} until the header is complete, or its first two bytes break a
     * rule ({@link #violation()}).
     *
     * @return where it stopped
     */
    int read(byte[] in, int position, int end) {
        while (position < end && !complete()) {
            bytes[length++] = in[position++];
            if (length == 2) {
                violation = FrameHeader.violationInFirstBytes(bytes[0] & 0xFF, bytes[1] & 0xFF, permessageDeflate);
                if (violation != null) {
                    return position;
                }
            }
        }
        return position;
    }

    /** The rule the header's first two bytes break, or {@code null}. */
    String violation() {
        return violation;
    }

    /** Whether the whole header is in. */
    boolean complete() {
        return length >= 2 && length >= FrameHeader.length(bytes[0] & 0xFF, bytes[1] & 0xFF);
    }

    /** The complete header; the bytes stay until {@link #clear()}. */
    FrameHeader parse() {
        return FrameHeader.parse(bytes);
    }

    /** Writes the header bytes read so far, as the client sent them. */
    void writeTo(ByteArrayOutputStream out) {
        out.write(bytes, 0, length);
    }

    /** Forgets the header: the next byte starts another. */
    void clear() {
        length = 0;
        violation = null;
    }
}
