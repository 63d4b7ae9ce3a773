package org.sizeguard.internal;

/**
 * Writes a Java string as a JSON string literal (RFC 8259 §7): the one JSON string writer of Sizeguard, used where
 * JSON is written by hand rather than through JSON-P (the transfer client's control messages, which must run without
 * a JSON-P implementation; MessagePack values turned into JSON for JSON-B).
 * <p>
 * Escapes {@code "} and {@code \} with a backslash, line feed, carriage return and tab as {@code \n}, {@code \r},
 * {@code \t}, every other control character below U+0020 as <code>&#92;u00XX</code> (lower-case hex); everything else,
 * surrogates included, is written as it is. Stateless and thread-safe.
 */
public final class JsonString {

    private JsonString() {
    }

    /**
     * Appends {@code text} to {@code json} as a JSON string literal, quotes included.
     *
     * @return {@code json}
     */
    public static StringBuilder append(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
