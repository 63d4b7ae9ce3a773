package org.sizeguard.internal;

/**
 * Counts the UTF-8 size of text without encoding it.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * Bytes that UTF-8 needs for {@code chars}. Each half of a surrogate pair counts 2 bytes, so a pair
     * counts 4 even when a container hands its halves over in two different parts of a message. A lone
     * surrogate, which a valid message cannot contain, also counts 2.
     */
    public static long encodedLength(CharSequence chars) {
        long bytes = 0;
        for (int i = 0, n = chars.length(); i < n; i++) {
            bytes += charLength(chars.charAt(i));
        }
        return bytes;
    }

    /** Bytes that UTF-8 needs for the UTF-16 unit {@code c}: 1 to 3, each half of a surrogate pair 2. */
    public static int charLength(char c) {
        if (c < 0x80) {
            return 1;
        }
        return c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
}
