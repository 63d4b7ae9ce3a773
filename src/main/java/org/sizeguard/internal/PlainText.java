package org.sizeguard.internal;

import java.util.Map;

import jakarta.websocket.Decoder;

import org.sizeguard.UndecodableMessageException;

/**
 * Converts path parameters and text messages into the primitive types Jakarta WebSocket allows for them. For text
 * messages the conversion is an ordinary text decoder ({@link #decoder}), so that a primitive payload takes the same
 * path as every decoded one.
 */
final class PlainText {

    private static final Map<Class<?>, Class<?>> WRAPPERS = Map.of(boolean.class, Boolean.class, byte.class,
            Byte.class, char.class, Character.class, short.class, Short.class, int.class, Integer.class,
            long.class, Long.class, float.class, Float.class, double.class, Double.class);

    private PlainText() {
    }

    static boolean isConvertible(Class<?> type) {
        return type == String.class || type.isPrimitive() || WRAPPERS.containsValue(type);
    }

    /**
     * The decoder of text messages into {@code type} (a primitive or its wrapper); stateless, shared by every
     * session. A message that is not a value of {@code type} is undecodable (1007).
     */
    static Decoder.Text<Object> decoder(Class<?> type) {
        return new Decoder.Text<>() {
            @Override
            public Object decode(String text) {
                try {
                    return convert(text, type);
                } catch (IllegalArgumentException notAValue) {
                    throw new UndecodableMessageException("text message is not a " + type.getSimpleName(), notAValue);
                }
            }

            @Override
            public boolean willDecode(String text) {
                return true;
            }
        };
    }

    /**
     * Converts {@code text} to {@code type}.
     *
     * @throws IllegalArgumentException if {@code text} is not a value of {@code type}
     */
    static Object convert(String text, Class<?> type) {
        if (type == String.class || text == null) {
            return text;
        }
        Class<?> wrapper = type.isPrimitive() ? WRAPPERS.get(type) : type;
        if (wrapper == Boolean.class) {
            return Boolean.valueOf(text);
        }
        if (wrapper == Character.class) {
            if (text.length() != 1) {
                throw new IllegalArgumentException("not a single character: " + text.length() + " characters");
            }
            return text.charAt(0);
        }
        String trimmed = text.trim();
        if (wrapper == Byte.class) {
            return Byte.valueOf(trimmed);
        }
        if (wrapper == Short.class) {
            return Short.valueOf(trimmed);
        }
        if (wrapper == Integer.class) {
            return Integer.valueOf(trimmed);
        }
        if (wrapper == Long.class) {
            return Long.valueOf(trimmed);
        }
        if (wrapper == Float.class) {
            return Float.valueOf(trimmed);
        }
        return Double.valueOf(trimmed);
    }
}
