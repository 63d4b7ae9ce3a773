package org.sizeguard.internal.transfer;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParserFactory;

import org.sizeguard.transfer.TransferRefusedException;

/**
 * One control message of the transfer protocol: a flat JSON object with a {@code "type"}. Read with a streaming
 * parser that takes only strings, numbers, booleans and null as member values, so that no message, however it is
 * nested, costs more than its own length; what cannot be read is refused with 1007.
 */
final class ControlMessage {

    /** Looked up once: {@code Json.createParser} looks the JSON-P provider up on every call, through the class path. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());
    /** The longest id the protocol allows; also the alphabet. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    /** The most characters of a metadata string. */
    static final int MAX_METADATA_CHARS = 1024;
    /** The largest size or offset a JSON number of the protocol may give: 2^53 − 1, what JavaScript counts exactly. */
    static final long MAX_SIZE = (1L << 53) - 1;

    private final String type;
    private final Map<String, Object> members;

    private ControlMessage(String type, Map<String, Object> members) {
        this.type = type;
        this.members = members;
    }

    /** @throws TransferRefusedException (1007) if {@code text} is not a flat JSON object with a string "type" */
    static ControlMessage parse(String text) {
        Map<String, Object> members = new HashMap<>();
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                throw malformed("not a JSON object");
            }
            while (true) {
                Event event = parser.next();
                if (event == Event.END_OBJECT) {
                    break;
                }
                String name = parser.getString();
                Object value = switch (parser.next()) {
                    case VALUE_STRING -> parser.getString();
                    case VALUE_NUMBER -> parser.getBigDecimal();
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> throw malformed("\"" + shortened(name) + "\" is an array or object");
                };
                members.put(name, value);
            }
            if (parser.hasNext()) {
                throw malformed("more than one JSON value");
            }
        } catch (JsonException | IllegalStateException | NoSuchElementException invalid) {
            throw malformed("not a JSON object");
        } catch (NumberFormatException | ArithmeticException unreadable) {
            // A number the parser cannot hold, e.g. an exponent of eleven digits.
            throw malformed("a number out of range");
        }
        if (!(members.get("type") instanceof String type)) {
            throw malformed("missing \"type\"");
        }
        return new ControlMessage(type, members);
    }

    String type() {
        return type;
    }

    /** The member {@code name}, a string, or {@code null} if absent. */
    String optionalString(String name) {
        Object value = members.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String string)) {
            throw malformed("\"" + name + "\" is not a string");
        }
        if (string.length() > MAX_METADATA_CHARS) {
            throw malformed("\"" + name + "\" is longer than " + MAX_METADATA_CHARS + " characters");
        }
        return string;
    }

    String requiredString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw malformed("missing \"" + name + "\"");
        }
        return value;
    }

    /** The member {@code name}: a transfer id, or {@code null} if absent. */
    String optionalId(String name) {
        String id = optionalString(name);
        if (id != null && !ID.matcher(id).matches()) {
            throw malformed("\"" + name + "\" is not an id of 1 to 64 letters, digits, - or _");
        }
        return id;
    }

    String requiredId(String name) {
        String id = optionalId(name);
        if (id == null) {
            throw malformed("missing \"" + name + "\"");
        }
        return id;
    }

    /** The member {@code name}: a SHA-256 in hex (lower-cased), or {@code null} if absent. */
    String optionalSha256(String name) {
        String hex = optionalString(name);
        if (hex != null && !SHA256.matcher(hex).matches()) {
            throw malformed("\"" + name + "\" is not 64 hex digits");
        }
        return hex == null ? null : hex.toLowerCase(Locale.ROOT);
    }

    /** The member {@code name}: a whole number of bytes from 0 to 2^53 − 1. */
    long requiredSize(String name) {
        Object value = members.get(name);
        if (value == null) {
            throw malformed("missing \"" + name + "\"");
        }
        if (!(value instanceof BigDecimal number)) {
            throw malformed("\"" + name + "\" is not a number");
        }
        try {
            long size = number.longValueExact();
            if (size < 0 || size > MAX_SIZE) {
                throw malformed("\"" + name + "\" is out of range");
            }
            return size;
        } catch (ArithmeticException notWhole) {
            throw malformed("\"" + name + "\" is not a whole number of bytes");
        }
    }

    private static String shortened(String name) {
        // The client's member name, cut so that the reason stays readable (the close frame cuts it at 123 bytes).
        return name.codePointCount(0, name.length()) > 16 ? name.substring(0, name.offsetByCodePoints(0, 16)) + "…"
                : name;
    }

    static TransferRefusedException malformed(String detail) {
        return TransferRefusedException.malformed("malformed transfer message: " + detail);
    }
}
