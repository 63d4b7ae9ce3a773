package org.sizeguard.codec;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.BinaryDataStrategy;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.IntegerValue;
import org.msgpack.value.Value;
import org.sizeguard.internal.JsonString;


/**
 * How {@link MessagePackDecoder} and {@link MessagePackEncoder} map MessagePack to Java types and back: through
 * JSON-B, which both servers provide, so the WAR bundles nothing but msgpack-core for it.
 * <p>
 * A checked MessagePack value becomes JSON text that JSON-B then binds: nil, booleans, integers (any width), floats
 * (NaN and the infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, which JSON-B
 * reads into {@code double} and {@code float}), strings, arrays, and maps whose keys are strings; bin becomes a
 * base64 string ({@link BinaryDataStrategy#BASE_64}, so a {@code byte[]} property takes it). Map keys of another
 * type and ext values have no JSON form and make the message undecodable. The JSON text is at most about six times
 * the checked value (a control character in a string takes six), so it is bounded by the message limit.
 * <p>
 * The other way, JSON-B writes the object as JSON, which is packed as MessagePack: objects as maps, integral
 * numbers as the smallest integer format, other numbers as float64, and {@code byte[]} as a base64 str.
 * <p>
 * Every walk is iterative: no value, however deep, can overflow the stack here.
 */
final class MessagePackMapping {

    private static final Object JSONB_LOCK = new Object();
    private static Jsonb jsonb;
    /**
     * Reads what JSON-B wrote. Looked up once: {@code Json.createParser} looks the JSON-P provider up on every call,
     * through the class path.
     */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private MessagePackMapping() {
    }

    /**
     * The JSON-B instance the codecs share unless a subclass supplies its own: binary data as base64, otherwise
     * JSON-B's defaults. Created on first use with the JSON-B implementation the server provides, and held for the
     * application's lifetime (the core is loaded by the application's class loader, so each application has its
     * own). Jsonb is thread-safe.
     */
    static Jsonb sharedJsonb() {
        synchronized (JSONB_LOCK) {
            if (jsonb == null) {
                jsonb = JsonbBuilder.create(new JsonbConfig().withBinaryDataStrategy(BinaryDataStrategy.BASE_64));
            }
            return jsonb;
        }
    }

    /** A short name of {@code type} for reasons: {@code Order}, {@code List<Order>}. */
    static String name(Type type) {
        if (type instanceof Class<?> c) {
            return c.getSimpleName();
        }
        String name = type.getTypeName();
        return name.replaceAll("\\b[a-z_$][\\w$]*\\.", "");
    }

    /** A reason a value cannot be bound: thrown as a 1007 by the decoder. */
    static final class Unmappable extends Exception {
        private static final long serialVersionUID = 1L;

        Unmappable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** One array or map being written as JSON. */
    private static final class Open {
        final ArrayValue array;
        final Value[] keysAndValues;
        int next;

        Open(ArrayValue array, Value[] keysAndValues) {
            this.array = array;
            this.keysAndValues = keysAndValues;
        }

        int size() {
            return array != null ? array.size() : keysAndValues.length / 2;
        }
    }

    /** {@code value} as JSON text, for JSON-B to bind. */
    static String toJson(Value value) throws Unmappable {
        StringBuilder json = new StringBuilder();
        Deque<Open> open = new ArrayDeque<>();
        Value current = value;
        while (true) {
            if (current != null) {
                if (current.isArrayValue()) {
                    json.append('[');
                    open.push(new Open(current.asArrayValue(), null));
                } else if (current.isMapValue()) {
                    json.append('{');
                    open.push(new Open(null, current.asMapValue().getKeyValueArray()));
                } else {
                    scalar(current, json);
                }
                current = null;
            }
            Open container = open.peek();
            if (container == null) {
                return json.toString();
            }
            if (container.next == container.size()) {
                json.append(container.array != null ? ']' : '}');
                open.pop();
                continue;
            }
            if (container.next > 0) {
                json.append(',');
            }
            int i = container.next++;
            if (container.array != null) {
                current = container.array.get(i);
            } else {
                Value key = container.keysAndValues[2 * i];
                if (!key.isStringValue()) {
                    throw new Unmappable("a map key is " + article(key) + ", not a string");
                }
                JsonString.append(json, key.asStringValue().asString());
                json.append(':');
                current = container.keysAndValues[2 * i + 1];
            }
        }
    }

    private static String article(Value value) {
        String type = value.getValueType().name().toLowerCase(java.util.Locale.ROOT);
        return (type.startsWith("a") || type.startsWith("e") || type.startsWith("i") ? "an " : "a ") + type;
    }

    private static void scalar(Value value, StringBuilder json) throws Unmappable {
        switch (value.getValueType()) {
            case NIL -> json.append("null");
            case BOOLEAN -> json.append(value.asBooleanValue().getBoolean());
            case INTEGER -> {
                IntegerValue integer = value.asIntegerValue();
                json.append(integer.isInLongRange() ? Long.toString(integer.toLong())
                        : integer.toBigInteger().toString());
            }
            case FLOAT -> {
                double number = value.asFloatValue().toDouble();
                if (Double.isNaN(number) || Double.isInfinite(number)) {
                    json.append('"').append(number).append('"');
                } else {
                    json.append(number);
                }
            }
            case STRING -> JsonString.append(json, value.asStringValue().asString());
            case BINARY -> json.append('"')
                    .append(Base64.getEncoder().encodeToString(value.asBinaryValue().asByteArray())).append('"');
            case EXTENSION -> throw new Unmappable("an extension value (type "
                    + value.asExtensionValue().getType() + ") has no JSON-B form");
            default -> throw new Unmappable("a " + value.getValueType() + " value has no JSON-B form");
        }
    }

    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** The JSON text {@code json} (as JSON-B writes it) packed as MessagePack. */
    static byte[] toMessagePack(String json) throws IOException {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
                JsonParser parser = PARSERS.createParser(new StringReader(json))) {
            // A container's size comes before its elements in MessagePack, so each is buffered until it ends.
            Deque<Pending> open = new ArrayDeque<>();
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                MessageBufferPacker out = open.isEmpty() ? packer : open.peek().elements;
                switch (event) {
                    case START_ARRAY, START_OBJECT -> open.push(new Pending(event == JsonParser.Event.START_OBJECT));
                    case END_ARRAY, END_OBJECT -> {
                        Pending done = open.pop();
                        MessageBufferPacker parent = open.isEmpty() ? packer : open.peek().elements;
                        if (!open.isEmpty()) {
                            open.peek().count++;
                        }
                        if (done.map) {
                            parent.packMapHeader(done.count);
                        } else {
                            parent.packArrayHeader(done.count);
                        }
                        parent.addPayload(done.elements.toByteArray());
                        done.elements.close();
                    }
                    case KEY_NAME -> out.packString(parser.getString());
                    case VALUE_STRING -> {
                        out.packString(parser.getString());
                        counted(open);
                    }
                    case VALUE_NUMBER -> {
                        number(parser.getBigDecimal(), parser.isIntegralNumber(), out);
                        counted(open);
                    }
                    case VALUE_TRUE, VALUE_FALSE -> {
                        out.packBoolean(event == JsonParser.Event.VALUE_TRUE);
                        counted(open);
                    }
                    case VALUE_NULL -> {
                        out.packNil();
                        counted(open);
                    }
                    default -> throw new IllegalStateException("unexpected JSON event " + event);
                }
            }
            packer.flush();
            return packer.toByteArray();
        }
    }

    private static void counted(Deque<Pending> open) {
        if (!open.isEmpty()) {
            open.peek().count++;
        }
    }

    private static void number(BigDecimal number, boolean integral, MessageBufferPacker out) throws IOException {
        if (integral) {
            BigInteger integer = number.toBigIntegerExact();
            if (integer.bitLength() <= 63) {
                out.packLong(integer.longValue());
                return;
            }
            if (integer.signum() > 0 && integer.compareTo(MAX_UINT64) <= 0) {
                out.packBigInteger(integer);
                return;
            }
        }
        out.packDouble(number.doubleValue());
    }

    /** An array or object whose elements are packed into their own buffer until its end gives its size. */
    private static final class Pending {
        final boolean map;
        final MessageBufferPacker elements = MessagePack.newDefaultBufferPacker();
        int count;

        Pending(boolean map) {
            this.map = map;
        }
    }
}
