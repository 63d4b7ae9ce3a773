package org.sizeguard.codec;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.GenericTypes;
import org.sizeguard.internal.Utf8;

/**
 * Decodes a text message holding JSON into a {@code T}, within the size and {@link StructureLimits structure
 * limits} of a {@link MessageSizePolicy}. An endpoint author writes one line,
 * <pre>{@code public class OrderDecoder extends JsonDecoder<Order> {}}</pre>
 * declares it in {@code ServerEndpoint(decoders = OrderDecoder.class)} and takes {@code Order} in an
 * {@code @OnMessage} method. {@code T} is read from the subclass's generic superclass; it may be any type JSON-B
 * maps (a record, a bean, {@code List<Order>}, ...) or a JSON-P {@link JsonValue} type ({@code JsonObject},
 * {@code JsonArray}, {@code JsonValue}), which is built directly from the parser's events without JSON-B.
 *
 * <h2>What is checked, in order</h2>
 * <ol>
 * <li><b>Size</b>, while the message is read: its UTF-8 bytes are counted as the parser pulls them from the
 *     {@link Reader} (each half of a surrogate pair counts 2, as everywhere in Sizeguard), and at the first byte
 *     over {@link MessageSizePolicy#streamLimit(MessageKind) policy.streamLimit(TEXT)} decoding stops with
 *     {@link MessageTooBigException} (1009, {@code "text message exceeds 65536 bytes"}). The decoder never pulls
 *     more than one character beyond the limit from the reader.</li>
 * <li><b>Structure</b>, while the streaming JSON-P parser reads, before anything is built from the input;
 *     breaking a rule ends with {@link StructureTooBigException} (1009) naming the rule and its limit:
 *     <ul>
 *     <li>nesting of arrays and objects deeper than {@link StructureLimits#maxDepth()} (at most
 *         {@value #MAX_DEPTH}, the most that Parsson, the servers' JSON-P, accepts):
 *         {@code "JSON nesting exceeds 64 levels"};</li>
 *     <li>more than {@link StructureLimits#maxElements()} array items plus object members in the whole message:
 *         {@code "JSON has more than 100000 elements"};</li>
 *     <li>a string, key or number literal longer than {@link StructureLimits#maxValueBytes()} UTF-8 bytes:
 *         {@code "JSON string exceeds 1048576 bytes"}, {@code "JSON key exceeds ..."};</li>
 *     <li><b>number bombs</b>: converting a number such as {@code 1e999999999} or a literal of a million digits
 *         into {@code BigInteger}, {@code long} or {@code int} costs seconds to hours of CPU (the conversion is
 *         quadratic or worse in the digits it produces). A number literal longer than
 *         {@value #MAX_NUMBER_LITERAL_BYTES} characters ({@code "JSON number exceeds 1000 bytes"}, or the value
 *         limit if that is smaller) or with an exponent of magnitude over {@value #MAX_NUMBER_EXPONENT}
 *         ({@code "JSON number exponent exceeds 1000"}) is refused as too big (1009): the message is
 *         well-formed JSON, it only asks for more than the server gives.</li>
 *     </ul></li>
 * <li><b>Syntax</b>: malformed JSON, an empty message or content after the value ends with
 *     {@link UndecodableMessageException} (1007, {@code "JSON could not be parsed: Unexpected char 120 at offset
 *     1"}).</li>
 * <li><b>Mapping</b> to {@code T}, a second pass over the text that passed the checks above (at most the limit),
 *     with JSON-B: JSON that does not fit {@code T}, or JSON {@code null} for a non-JSON-P type, ends with
 *     {@link UndecodableMessageException} (1007, {@code "JSON does not match Order: ..."}).</li>
 * </ol>
 * {@code decode} throws nothing else for any input: no parser or JSON-B exception escapes. Only an
 * {@link IOException} of the {@code Reader} itself is passed on as it is (under Sizeguard, the reader of a message
 * that Sizeguard has already rejected fails that way, and that rejection's close stands).
 *
 * <h2>Which policy</h2>
 * The policy is, in this order: the one CDI injects (Sizeguard creates decoders through CDI, so this is the
 * policy of the endpoint the decoder serves, named ones included); the one given to
 * {@link #JsonDecoder(MessageSizePolicy)}; without CDI, the default policy of {@link SizePolicies#current()};
 * before Sizeguard has initialised, the built-in defaults (64 KiB text, {@link StructureLimits#DEFAULTS}). It is
 * settled in {@link #init(EndpointConfig)}, or at the first {@code decode} if {@code init} was not called.
 *
 * <h2>Lifecycle and threading</h2>
 * {@link #init(EndpointConfig)} creates one {@link Jsonb} for this instance with {@link #createJsonb()} (override it
 * to configure JSON-B), {@link #destroy()} closes it (a {@code decode} without {@code init} creates it on first use). Sizeguard creates one decoder per session and
 * calls {@code decode} for one message at a time; the decoder keeps no state between messages, and {@code Jsonb}
 * is thread-safe, so concurrent calls are safe too. Nesting is checked without recursion, so a million opening
 * brackets are refused after {@code maxDepth + 1} of them, with no {@link StackOverflowError}, reading little
 * more than those. JSON-B maps recursively: Yasson needs about 1.5 KiB of stack per level (some 600 levels on a
 * 1 MiB thread stack), far more than the default 64 levels need; nesting that still overflows the stack of the
 * decoding thread is refused as too deeply nested (1009, {@code "JSON nesting is too deep to map to Order"}).
 *
 * @param <T> the type a message decodes to
 */
public abstract class JsonDecoder<T> implements Decoder.TextStream<T> {

    /** The longest number literal accepted, in characters (also capped by the policy's value limit). */
    public static final int MAX_NUMBER_LITERAL_BYTES = 1000;

    /** The largest magnitude of a number's exponent accepted ({@code 1e1000} passes, {@code 1e1001} does not). */
    public static final int MAX_NUMBER_EXPONENT = 1000;

    /**
     * The deepest nesting accepted, whatever {@link StructureLimits#maxDepth()} says: Parsson, the JSON-P
     * implementation of Payara and of WildFly, refuses deeper input by itself (from 1.1.4 on, "Input is too deeply
     * nested 1,000"), also in JSON-B's mapping pass.
     */
    public static final int MAX_DEPTH = 999;

    /**
     * Parsson's own nesting limit (a configuration key that other JSON-P implementations ignore), raised above
     * {@link #MAX_DEPTH} so that the decoder's check, with its 1009 reason, is the one that refuses. Parsson
     * refuses when the depth reaches the value, before it reports the level's start.
     */
    private static final Map<String, Object> PARSER_CONFIG = Map.of("org.eclipse.parsson.maxDepth", MAX_DEPTH + 2);

    /** Parsson's location suffix, {@code " at (line no=1, column no=10, offset=9)"}, shortened in reasons. */
    private static final Pattern LOCATION = Pattern.compile("\\s*\\(line no=\\d+, column no=\\d+, offset=(-?\\d+)\\)");

    @Inject
    private MessageSizePolicy injectedPolicy;

    private final MessageSizePolicy givenPolicy;
    private final Type type;
    private final Class<?> rawType;
    private final boolean jsonValueType;
    private volatile MessageSizePolicy policy;
    private volatile JsonParserFactory parsers;
    private volatile JsonBuilderFactory builders;
    private volatile Jsonb jsonb;

    /** A decoder whose policy comes from CDI, or {@link SizePolicies#current()}, or the built-in defaults. */
    protected JsonDecoder() {
        this(null);
    }

    /**
     * A decoder held to {@code policy} (unless CDI injects one), for use without CDI and in tests.
     *
     * @param policy the limits to check, or {@code null} to find them as {@link #JsonDecoder()} does
     */
    protected JsonDecoder(MessageSizePolicy policy) {
        this.givenPolicy = policy;
        this.type = GenericTypes.concreteTypeArgument(getClass(), JsonDecoder.class);
        this.rawType = GenericTypes.rawClass(type);
        this.jsonValueType = JsonValue.class.isAssignableFrom(rawType);
    }

    /** Settles the policy and creates this decoder's JSON-P factories and {@link Jsonb}. */
    @Override
    public void init(EndpointConfig config) {
        policy = resolvePolicy();
        parsers = Json.createParserFactory(PARSER_CONFIG);
        if (jsonValueType) {
            builders = Json.createBuilderFactory(Map.of());
        } else {
            jsonb = createJsonb();
        }
    }

    /**
     * The {@link Jsonb} this decoder maps with, created once per instance; override to configure JSON-B (e.g.
     * {@code JsonbBuilder.create(new JsonbConfig().withPropertyNamingStrategy(...))}). {@link #destroy()} closes it.
     */
    protected Jsonb createJsonb() {
        return JsonbBuilder.create();
    }

    /** Closes this decoder's {@link Jsonb}. */
    @Override
    public void destroy() {
        Jsonb closing = jsonb;
        jsonb = null;
        JsonbLifecycle.close(closing);
    }

    /** The policy this decoder checks messages against. */
    protected final MessageSizePolicy policy() {
        MessageSizePolicy settled = policy;
        if (settled == null) {
            settled = resolvePolicy();
            policy = settled;
        }
        return settled;
    }

    /** The type messages decode to, as read from the subclass's declaration. */
    protected final Type type() {
        return type;
    }

    private MessageSizePolicy resolvePolicy() {
        return DecoderPolicy.resolve(injectedPolicy, givenPolicy);
    }

    /**
     * Reads and decodes one message.
     *
     * @throws MessageTooBigException        the message exceeds the policy's text stream limit (1009)
     * @throws StructureTooBigException      the JSON breaks a structure limit or is a number bomb (1009)
     * @throws UndecodableMessageException   the JSON is malformed or does not map to {@code T} (1007)
     * @throws IOException                   only when {@code reader} itself fails
     */
    @Override
    public T decode(Reader reader) throws IOException {
        MessageSizePolicy limits = policy();
        BoundedReader bounded = new BoundedReader(reader, limits.streamLimit(MessageKind.TEXT), !jsonValueType);
        JsonValue built = scan(bounded, limits.structure());
        if (jsonValueType) {
            if (!rawType.isInstance(built)) {
                throw new UndecodableMessageException("JSON does not match " + typeName() + ": the message is "
                        + describe(built), null);
            }
            @SuppressWarnings("unchecked")
            T value = (T) built;
            return value;
        }
        return map(bounded.text());
    }

    /** Pass one: parses {@code in} with every check; builds the value if {@code T} is a JSON-P type. */
    private JsonValue scan(BoundedReader in, StructureLimits structure) throws IOException {
        JsonParserFactory factory = parsers;
        if (factory == null) {
            factory = Json.createParserFactory(PARSER_CONFIG);
            parsers = factory;
        }
        Scan scan = new Scan(structure, jsonValueType ? builders() : null);
        try (JsonParser parser = factory.createParser(in)) {
            while (parser.hasNext()) {
                scan.event(parser.next(), parser);
            }
        } catch (SizeguardCloseException refused) {
            throw refused;
        } catch (JsonParsingException malformed) {
            in.rethrowFailure();
            if (in.blank()) {
                throw new UndecodableMessageException("JSON could not be parsed: the message is empty", malformed);
            }
            throw new UndecodableMessageException("JSON could not be parsed: " + shortMessage(malformed), malformed);
        } catch (RuntimeException failed) {
            // JsonException wrapping the reader's IOException, or whatever else a JSON-P implementation throws.
            in.rethrowFailure();
            if (failed.getCause() instanceof IOException readerFailed) {
                throw readerFailed;
            }
            throw new UndecodableMessageException("JSON could not be parsed: " + shortMessage(failed), failed);
        }
        return scan.result();
    }

    private JsonBuilderFactory builders() {
        JsonBuilderFactory factory = builders;
        if (factory == null) {
            factory = Json.createBuilderFactory(Map.of());
            builders = factory;
        }
        return factory;
    }

    /** Pass two: maps the checked text to {@code T} with JSON-B. */
    private T map(String text) {
        Jsonb mapper = jsonb;
        if (mapper == null) {
            synchronized (this) {
                mapper = jsonb;
                if (mapper == null) {
                    mapper = createJsonb();
                    jsonb = mapper;
                }
            }
        }
        T value;
        try {
            value = mapper.fromJson(text, type);
        } catch (StackOverflowError tooDeep) {
            throw new StructureTooBigException("JSON nesting is too deep to map to " + typeName());
        } catch (RuntimeException mismatch) {
            throw new UndecodableMessageException("JSON does not match " + typeName() + ": "
                    + shortMessage(mismatch), mismatch);
        }
        if (value == null) {
            throw new UndecodableMessageException("JSON does not match " + typeName() + ": the message is null",
                    null);
        }
        return value;
    }

    private String typeName() {
        return rawType.getSimpleName();
    }

    private static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }

    /**
     * A parser's or mapper's message, short enough to leave room in a 123-byte reason: one line, Parsson's
     * location {@code "(line no=1, column no=2, offset=1)"} shortened to {@code "offset 1"}.
     */
    static String shortMessage(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        Matcher location = LOCATION.matcher(message);
        message = location.replaceAll(" offset $1");
        return message.replaceAll("\\s+", " ").trim();
    }

    /** Checks the structure of one message event by event; builds the JSON-P value when asked to. */
    private static final class Scan {

        private final StructureCounter structure;
        private final JsonBuilderFactory builders;
        /** Whether each open level is an array (true) or an object (false); its size is the depth. */
        private final Deque<Boolean> levels = new ArrayDeque<>();
        /** The open builders and, for objects, the key of the member being read. */
        private final Deque<Frame> frames = new ArrayDeque<>();
        private JsonValue root;
        private boolean sawValue;

        Scan(StructureLimits limits, JsonBuilderFactory builders) {
            this.structure = new StructureCounter(StructureCounter.Format.JSON, limits, MAX_DEPTH);
            this.builders = builders;
        }

        void event(JsonParser.Event event, JsonParser parser) {
            switch (event) {
                case START_ARRAY, START_OBJECT -> {
                    countValue();
                    structure.requireDepth(levels.size() + 1);
                    levels.push(event == JsonParser.Event.START_ARRAY);
                    if (builders != null) {
                        frames.push(new Frame(event == JsonParser.Event.START_ARRAY
                                ? builders.createArrayBuilder() : builders.createObjectBuilder()));
                    }
                }
                case END_ARRAY, END_OBJECT -> {
                    levels.pop();
                    if (builders != null) {
                        Frame done = frames.pop();
                        add(done.builder instanceof JsonArrayBuilder array ? array.build()
                                : ((JsonObjectBuilder) done.builder).build());
                    }
                }
                case KEY_NAME -> {
                    structure.count(1);
                    String key = parser.getString();
                    structure.requireValue("key", Utf8.encodedLength(key));
                    if (builders != null) {
                        frames.peek().key = key;
                    }
                }
                case VALUE_STRING -> {
                    countValue();
                    structure.requireValue("string", Utf8.encodedLength(parser.getString()));
                    addScalar(parser);
                }
                case VALUE_NUMBER -> {
                    countValue();
                    String literal = parser.getString();
                    structure.requireValue("number", literal.length(), MAX_NUMBER_LITERAL_BYTES);
                    checkExponent(literal);
                    addScalar(parser);
                }
                case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                    countValue();
                    addScalar(parser);
                }
                default -> throw new IllegalStateException("unexpected JSON event " + event);
            }
        }

        /** A value starts: it is an element if it sits in an array (object members were counted at their key). */
        private void countValue() {
            if (levels.isEmpty()) {
                sawValue = true;
            } else if (levels.peek()) {
                structure.count(1);
            }
        }

        /** Refuses {@code 1e999999999}: an exponent whose magnitude is over {@value #MAX_NUMBER_EXPONENT}. */
        private static void checkExponent(String literal) {
            int e = Math.max(literal.indexOf('e'), literal.indexOf('E'));
            if (e < 0) {
                return;
            }
            int digits = e + 1;
            if (digits < literal.length() && (literal.charAt(digits) == '+' || literal.charAt(digits) == '-')) {
                digits++;
            }
            while (digits < literal.length() - 1 && literal.charAt(digits) == '0') {
                digits++;
            }
            String exponent = literal.substring(digits);
            if (exponent.length() > 4 || (!exponent.isEmpty() && Integer.parseInt(exponent) > MAX_NUMBER_EXPONENT)) {
                throw new StructureTooBigException("JSON number exponent exceeds " + MAX_NUMBER_EXPONENT);
            }
        }

        private void addScalar(JsonParser parser) {
            if (builders != null) {
                add(parser.getValue());
            }
        }

        private void add(JsonValue value) {
            Frame parent = frames.peek();
            if (parent == null) {
                root = value;
            } else if (parent.builder instanceof JsonArrayBuilder array) {
                array.add(value);
            } else {
                ((JsonObjectBuilder) parent.builder).add(parent.key, value);
            }
        }

        JsonValue result() {
            if (!sawValue) {
                throw new UndecodableMessageException("JSON could not be parsed: the message is empty", null);
            }
            return root;
        }
    }

    private static final class Frame {
        final Object builder;
        String key;

        Frame(Object builder) {
            this.builder = builder;
        }
    }

    /**
     * The message as the parser reads it: counts UTF-8 bytes and fails at the first byte over the limit, asking the
     * underlying reader for no more characters than surely still fit (or one, to see the end or the excess).
     * Keeps a copy of what it read for the mapping pass when asked to.
     */
    private static final class BoundedReader extends Reader {

        private final Reader in;
        private final long limit;
        private final StringBuilder copy;
        private long bytes;
        private boolean blank = true;
        private MessageTooBigException failure;

        BoundedReader(Reader in, long limit, boolean keepCopy) {
            this.in = in;
            this.limit = limit;
            this.copy = keepCopy ? new StringBuilder() : null;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (failure != null) {
                throw failure;
            }
            if (length == 0) {
                return 0;
            }
            // A character takes at most 3 bytes here (a surrogate half counts 2): ask for no more than surely fit,
            // or for one when fewer than 3 bytes are left, so at most one character beyond the limit is ever read.
            int asked = (int) Math.min(length, Math.max(1, (limit - bytes) / 3));
            int count = in.read(buffer, offset, asked);
            if (count <= 0) {
                return count;
            }
            for (int i = offset, end = offset + count; i < end; i++) {
                char c = buffer[i];
                bytes += Utf8.charLength(c);
                try {
                    MessageTooBigException.requireWithin(MessageKind.TEXT, limit, bytes);
                } catch (MessageTooBigException tooBig) {
                    failure = tooBig;
                    throw tooBig;
                }
                blank = blank && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
            }
            if (copy != null) {
                copy.append(buffer, offset, count);
            }
            return count;
        }

        /** Throws the size failure if the parser wrapped or swallowed it. */
        void rethrowFailure() {
            if (failure != null) {
                throw failure;
            }
        }

        /** Whether everything read so far is JSON whitespace (or nothing). */
        boolean blank() {
            return blank;
        }

        String text() {
            return copy.toString();
        }

        @Override
        public void close() {
            // The message's reader belongs to the caller.
        }
    }
}
