package org.sizeguard;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;

/**
 * The one factory for the close reasons Sizeguard sends, and for those of an author's own
 * {@link SizeguardCloseException}s.
 * <p>
 * RFC 6455 §5.5 limits a control frame's payload to 125 bytes, two of which carry the close code, so a reason
 * phrase may take at most {@value #MAX_REASON_BYTES} UTF-8 bytes. Both containers throw from the
 * {@link CloseReason} constructor for a longer phrase and then send no close frame at all, so every phrase is
 * cut here first, on a character boundary (never inside a UTF-8 sequence or a surrogate pair).
 */
public final class CloseReasons {

    /** The longest reason phrase a close frame can carry, in UTF-8 bytes. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseReasons() {
    }

    /** A close reason with {@code code} and {@code phrase}, the phrase cut to {@value #MAX_REASON_BYTES} bytes. */
    public static CloseReason of(CloseCode code, String phrase) {
        return new CloseReason(code, truncate(phrase, MAX_REASON_BYTES));
    }

    /**
     * The longest prefix of {@code text} whose UTF-8 encoding takes at most {@code maxBytes} bytes, ending on
     * a whole character.
     */
    public static String truncate(String text, int maxBytes) {
        if (text == null) {
            return "";
        }
        long bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + width > maxBytes) {
                break;
            }
            bytes += width;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }
}
