package org.sizeguard.transfer;

import java.util.LinkedHashMap;
import java.util.Map;

import org.sizeguard.internal.JsonString;

/**
 * The JSON of the transfer protocol's control messages, for the client side, which must run without a JSON-P
 * implementation: flat objects whose members are strings, whole numbers, booleans or null. Stateless.
 */
final class FlatJson {

    private FlatJson() {
    }

    /** {@code members} (strings, numbers, booleans) as a JSON object, in their order. */
    static String write(Map<String, ?> members) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, ?> member : members.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            JsonString.append(json, member.getKey()).append(':');
            Object value = member.getValue();
            if (value instanceof String text) {
                JsonString.append(json, text);
            } else {
                json.append(value);
            }
        }
        return json.append('}').toString();
    }

    /**
     * The members of a flat JSON object: {@code String}, {@code Long}, {@code Boolean} or {@code null} values.
     *
     * @throws IllegalArgumentException if {@code json} is not such an object
     */
    static Map<String, Object> read(String json) {
        Reader reader = new Reader(json);
        reader.skipSpace();
        Map<String, Object> members = reader.object();
        reader.skipSpace();
        if (reader.position != json.length()) {
            throw new IllegalArgumentException("text after the JSON object");
        }
        return members;
    }

    private static final class Reader {
        private final String json;
        private int position;

        Reader(String json) {
            this.json = json;
        }

        Map<String, Object> object() {
            Map<String, Object> members = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                position++;
                return members;
            }
            while (true) {
                skipSpace();
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                members.put(name, value());
                skipSpace();
                char next = next();
                if (next == '}') {
                    return members;
                }
                if (next != ',') {
                    throw new IllegalArgumentException("expected , or } at " + (position - 1));
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (json.startsWith("true", position)) {
                position += 4;
                return Boolean.TRUE;
            }
            if (json.startsWith("false", position)) {
                position += 5;
                return Boolean.FALSE;
            }
            if (json.startsWith("null", position)) {
                position += 4;
                return null;
            }
            int start = position;
            if (c == '-') {
                position++;
            }
            while (position < json.length() && Character.isDigit(json.charAt(position))) {
                position++;
            }
            if (position == start || position < json.length() && ".eE".indexOf(json.charAt(position)) >= 0) {
                throw new IllegalArgumentException("expected a string, a whole number, true, false or null at "
                        + start);
            }
            return Long.parseLong(json.substring(start, position));
        }

        private String string() {
            expect('"');
            StringBuilder text = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return text.toString();
                }
                if (c != '\\') {
                    text.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> text.append(escaped);
                    case 'b' -> text.append('\b');
                    case 'f' -> text.append('\f');
                    case 'n' -> text.append('\n');
                    case 'r' -> text.append('\r');
                    case 't' -> text.append('\t');
                    case 'u' -> {
                        if (position + 4 > json.length()) {
                            throw new IllegalArgumentException("unfinished \\u escape");
                        }
                        text.append((char) Integer.parseInt(json.substring(position, position + 4), 16));
                        position += 4;
                    }
                    default -> throw new IllegalArgumentException("invalid escape \\" + escaped);
                }
            }
        }

        void skipSpace() {
            while (position < json.length() && " \t\r\n".indexOf(json.charAt(position)) >= 0) {
                position++;
            }
        }

        private char peek() {
            if (position >= json.length()) {
                throw new IllegalArgumentException("the JSON ends early");
            }
            return json.charAt(position);
        }

        private char next() {
            char c = peek();
            position++;
            return c;
        }

        private void expect(char wanted) {
            if (next() != wanted) {
                throw new IllegalArgumentException("expected " + wanted + " at " + (position - 1));
            }
        }
    }
}
