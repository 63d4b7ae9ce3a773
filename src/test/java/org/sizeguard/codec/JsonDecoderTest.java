package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.CloseReasons;
import org.sizeguard.internal.ConfiguredPolicies;
import org.sizeguard.internal.DeployedApplication;

class JsonDecoderTest {

    public record Order(String item, int quantity) {
    }

    public record Note(String text, List<String> tags) {
    }

    public static class OrderDecoder extends JsonDecoder<Order> {
        public OrderDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    public static class OrderEncoder extends JsonEncoder<Order> {
    }

    public static class NoteDecoder extends JsonDecoder<Note> {
        public NoteDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    public static class NoteEncoder extends JsonEncoder<Note> {
    }

    public static class LongDecoder extends JsonDecoder<Long> {
        public LongDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    public static class BigIntegerDecoder extends JsonDecoder<BigInteger> {
        public BigIntegerDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    /** Binds T one level up: the type is still found. */
    public abstract static class ListDecoder<E> extends JsonDecoder<List<E>> {
        protected ListDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    public static class OrdersDecoder extends ListDecoder<Order> {
        public OrdersDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    public static class NestedListDecoder extends JsonDecoder<List<Object>> {
        public NestedListDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    /** Leaves T open: it cannot know what to decode to. */
    public static class OpenDecoder<X> extends JsonDecoder<X> {
    }

    public static class DefaultOrderDecoder extends JsonDecoder<Order> {
    }

    private static final MessageSizePolicy LARGE = policy(10_000_000, StructureLimits.DEFAULTS);

    private static MessageSizePolicy policy(long maxTextStreamBytes, StructureLimits structure) {
        return new MessageSizePolicy("test", 100, 100, maxTextStreamBytes, 100, Duration.ofSeconds(30), structure);
    }

    private static MessageSizePolicy textLimit(long bytes) {
        return policy(bytes, StructureLimits.DEFAULTS);
    }

    private static MessageSizePolicy structure(int depth, long elements, long valueBytes) {
        return policy(10_000_000, new StructureLimits(depth, elements, valueBytes));
    }

    private static <T> T decode(JsonDecoder<T> decoder, String json) throws IOException {
        decoder.init(null);
        try {
            return decoder.decode(new StringReader(json));
        } finally {
            decoder.destroy();
        }
    }

    private static <E extends SizeguardCloseException> E refusal(Class<E> type, JsonDecoder<?> decoder, String json) {
        E refusal = catchThrowableOfType(type, () -> decode(decoder, json));
        assertThat(refusal).as("decoding %s", json.length() > 80 ? json.substring(0, 80) + "..." : json).isNotNull();
        return refusal;
    }

    private static void assertClose(SizeguardCloseException refusal, CloseCodes code, String reason) {
        assertThat(refusal.closeReason().getCloseCode()).isEqualTo(code);
        assertThat(refusal.closeReason().getReasonPhrase()).isEqualTo(reason);
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @AfterEach
    void forgetPolicies() {
        DeployedApplication.install((SizePolicies) null);
    }

    // ----- size -----

    @Test
    void decodesAMessageOfExactlyTheLimit() throws IOException {
        String json = "{\"item\":\"é\",\"quantity\":2}";

        Order order = decode(new OrderDecoder(textLimit(utf8(json))), json);

        assertThat(order).isEqualTo(new Order("é", 2));
    }

    @Test
    void refusesAMessageOneByteOverTheLimitWith1009() {
        String json = "{\"item\":\"é\",\"quantity\":2}";
        int limit = utf8(json) - 1;

        MessageTooBigException tooBig = refusal(MessageTooBigException.class, new OrderDecoder(textLimit(limit)), json);

        assertClose(tooBig, CloseCodes.TOO_BIG, "text message exceeds " + limit + " bytes");
        assertThat(tooBig.kind()).isEqualTo(MessageKind.TEXT);
        assertThat(tooBig.observedBytes()).isEqualTo(limit + 1);
    }

    @Test
    void refusesAFourByteCharacterThatStraddlesTheLimit() throws IOException {
        String json = "\"abcde\uD83D\uDE00\""; // "abcde😀": 1 + 5 + 4 + 1 = 11 bytes; the emoji takes bytes 7 to 10

        assertThat(decode(new JsonObjectAwareStringDecoder(textLimit(11)), json)).isEqualTo("abcde\uD83D\uDE00");
        for (int limit = 7; limit <= 9; limit++) {
            MessageTooBigException tooBig = refusal(MessageTooBigException.class,
                    new JsonObjectAwareStringDecoder(textLimit(limit)), json);
            assertThat(tooBig.getMessage()).isEqualTo("text message exceeds " + limit + " bytes");
        }
    }

    public static class JsonObjectAwareStringDecoder extends JsonDecoder<String> {
        public JsonObjectAwareStringDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    @Test
    void readsAtMostOneCharacterBeyondTheLimitOfAHugeMessage() {
        CountingReader huge = new CountingReader(new StringReader("[" + "1,".repeat(5_000_000) + "1]"));
        JsonObjectDecoder decoder = new JsonObjectDecoder(textLimit(1000));
        decoder.init(null);

        assertThatThrownBy(() -> decoder.decode(huge)).isInstanceOf(MessageTooBigException.class)
                .hasMessage("text message exceeds 1000 bytes");
        assertThat(huge.chars).isEqualTo(1001);
    }

    @Test
    void readsAtMostOneCharacterBeyondTheLimitOfMultiByteText() {
        CountingReader huge = new CountingReader(new StringReader("\"" + "\u20ac".repeat(1_000_000) + "\""));
        JsonObjectDecoder decoder = new JsonObjectDecoder(textLimit(1000));
        decoder.init(null);

        assertThatThrownBy(() -> decoder.decode(huge)).isInstanceOf(MessageTooBigException.class)
                .hasMessage("text message exceeds 1000 bytes");
        assertThat(huge.chars).as("the quote and 333 euro signs fit, the 334th does not").isEqualTo(1 + 334);
    }

    // ----- syntax and mapping: 1007 -----

    @Test
    void refusesMalformedJsonWith1007NamingWhatTheParserFound() {
        UndecodableMessageException malformed = refusal(UndecodableMessageException.class,
                new OrderDecoder(LARGE), "{\"item\" \"x\"}");

        assertThat(malformed.closeCode()).isEqualTo(CloseCodes.NOT_CONSISTENT);
        assertThat(malformed.closeReason().getReasonPhrase())
                .startsWith("JSON could not be parsed: ")
                .contains("offset ")
                .doesNotContain("line no=");
    }

    @Test
    void refusesAnEmptyOrBlankMessageWith1007() {
        for (String blank : List.of("", "  \n ")) {
            assertClose(refusal(UndecodableMessageException.class, new JsonObjectDecoder(LARGE), blank),
                    CloseCodes.NOT_CONSISTENT, "JSON could not be parsed: the message is empty");
        }
    }

    @Test
    void refusesAnythingAfterTheValueWith1007() {
        for (String trailing : List.of("{} x", "{}{}", "[1] ]")) {
            UndecodableMessageException refused = refusal(UndecodableMessageException.class,
                    new JsonObjectDecoder(LARGE), trailing);
            assertThat(refused.getMessage()).startsWith("JSON could not be parsed: ");
        }
    }

    @Test
    void refusesJsonOfTheWrongTypeWith1007NamingTheType() {
        UndecodableMessageException wrong = refusal(UndecodableMessageException.class, new OrderDecoder(LARGE),
                "{\"item\":\"pen\",\"quantity\":\"many\"}");

        assertThat(wrong.closeCode()).isEqualTo(CloseCodes.NOT_CONSISTENT);
        assertThat(wrong.closeReason().getReasonPhrase()).startsWith("JSON does not match Order: ")
                .contains("quantity");
    }

    @Test
    void refusesAnArrayOrNullWhereAnObjectTypeIsExpected() {
        assertThat(refusal(UndecodableMessageException.class, new OrderDecoder(LARGE), "[1,2]").getMessage())
                .startsWith("JSON does not match Order: ");
        assertClose(refusal(UndecodableMessageException.class, new OrderDecoder(LARGE), "null"),
                CloseCodes.NOT_CONSISTENT, "JSON does not match Order: the message is null");
        assertClose(refusal(UndecodableMessageException.class, new JsonObjectDecoder(LARGE), "[{}]"),
                CloseCodes.NOT_CONSISTENT, "JSON does not match JsonObject: the message is an array");
    }

    @Test
    void keepsEveryReasonWithinACloseFrameAndItsBeginningMeaningful() {
        String longKey = "k".repeat(300);
        UndecodableMessageException wrong = refusal(UndecodableMessageException.class, new OrderDecoder(LARGE),
                "{\"quantity\":{\"" + longKey + "\":1}}");

        String phrase = wrong.closeReason().getReasonPhrase();
        assertThat(utf8(phrase)).isLessThanOrEqualTo(CloseReasons.MAX_REASON_BYTES);
        assertThat(phrase).startsWith("JSON does not match Order: ");
    }

    // ----- structure: 1009 -----

    @Test
    void acceptsNestingOfExactlyTheDepthLimit() throws IOException {
        String json = "[".repeat(StructureLimits.DEFAULT_MAX_DEPTH) + "]".repeat(StructureLimits.DEFAULT_MAX_DEPTH);

        assertThat(decode(new JsonValueDecoder(LARGE), json).getValueType()).isEqualTo(JsonValue.ValueType.ARRAY);
    }

    @Test
    void refusesNestingOneLevelDeeperThanTheLimitWith1009NamingTheRule() {
        String json = "{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}"; // 65 levels with the object

        assertClose(refusal(StructureTooBigException.class, new JsonObjectDecoder(LARGE), json),
                CloseCodes.TOO_BIG, "JSON nesting exceeds 64 levels");
        assertClose(refusal(StructureTooBigException.class, new OrderDecoder(LARGE), json),
                CloseCodes.TOO_BIG, "JSON nesting exceeds 64 levels");
    }

    @Test
    void refusesAMillionOpeningBracketsQuicklyWithoutOverflowingTheStack() {
        String bomb = "[".repeat(1_000_000);
        CountingReader reader = new CountingReader(new StringReader(bomb));
        JsonValueDecoder decoder = new JsonValueDecoder(textLimit(2_000_000));
        decoder.init(null);

        StructureTooBigException tooDeep = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> catchThrowableOfType(StructureTooBigException.class, () -> decoder.decode(reader)));

        assertThat(tooDeep).hasMessage("JSON nesting exceeds 64 levels");
        assertThat(reader.chars).as("characters read of the million").isLessThan(100_000);
    }

    @Test
    void capsTheDepthAtWhatTheServersJsonParserAccepts() throws IOException {
        MessageSizePolicy deep = structure(5000, 1_000_000, 1000);

        assertThat(decode(new JsonValueDecoder(deep), "[".repeat(999) + "]".repeat(999)).getValueType())
                .isEqualTo(JsonValue.ValueType.ARRAY);
        assertClose(refusal(StructureTooBigException.class, new JsonValueDecoder(deep),
                "[".repeat(1000) + "]".repeat(1000)), CloseCodes.TOO_BIG, "JSON nesting exceeds 999 levels");
    }

    @Test
    void refusesNestingTooDeepForJsonBToMapOnTheThreadsStackWith1009() throws InterruptedException {
        NestedListDecoder decoder = new NestedListDecoder(structure(999, 1_000_000, 1000));
        decoder.init(null);
        String json = "[".repeat(900) + "]".repeat(900);
        Throwable[] outcome = new Throwable[1];
        // JSON-B maps recursively (Yasson manages about 600 levels on a 1 MiB stack); 256 KiB is far too little.
        Thread small = new Thread(null, () -> {
            try {
                decoder.decode(new StringReader(json));
            } catch (Throwable t) {
                outcome[0] = t;
            }
        }, "small stack", 256 * 1024);
        small.start();
        small.join();

        assertThat(outcome[0]).isInstanceOf(StructureTooBigException.class)
                .hasMessage("JSON nesting is too deep to map to List");
    }

    @Test
    void refusesMoreElementsThanTheLimitCountingArrayItemsAndMembersOfTheWholeMessage() throws IOException {
        // 3 array items + 2 members of the object, which is itself the third item: 5 elements.
        String five = "[1,\"two\",{\"a\":[],\"b\":null}]";
        String six = "[1,\"two\",{\"a\":[true],\"b\":null}]";

        assertThat(decode(new JsonValueDecoder(structure(64, 5, 1000)), five).asJsonArray()).hasSize(3);
        assertClose(refusal(StructureTooBigException.class, new JsonValueDecoder(structure(64, 5, 1000)), six),
                CloseCodes.TOO_BIG, "JSON has more than 5 elements");
        assertThat(refusal(StructureTooBigException.class, new JsonValueDecoder(LARGE),
                "[" + "0,".repeat(100_000) + "0]")).hasMessage("JSON has more than 100000 elements");
    }

    @Test
    void refusesAStringOrKeyLongerThanTheValueLimitCountedInUtf8Bytes() throws IOException {
        MessageSizePolicy tenBytes = structure(64, 1000, 10);

        assertThat(decode(new JsonValueDecoder(tenBytes), "[\"" + "é".repeat(5) + "\"]").asJsonArray()).hasSize(1);
        assertClose(refusal(StructureTooBigException.class, new JsonValueDecoder(tenBytes),
                "[\"" + "é".repeat(5) + "x\"]"), CloseCodes.TOO_BIG, "JSON string exceeds 10 bytes");
        assertClose(refusal(StructureTooBigException.class, new OrderDecoder(tenBytes),
                "{\"" + "k".repeat(11) + "\":1}"), CloseCodes.TOO_BIG, "JSON key exceeds 10 bytes");
        assertThat(refusal(StructureTooBigException.class, new JsonValueDecoder(LARGE),
                "\"" + "x".repeat(1024 * 1024 + 1) + "\"")).hasMessage("JSON string exceeds 1048576 bytes");
    }

    @Test
    void refusesNumberBombsWith1009BeforeAnyConversion() {
        String bomb = "1e999999999";
        assertClose(refusal(StructureTooBigException.class, new OrderDecoder(LARGE),
                "{\"item\":\"x\",\"quantity\":" + bomb + "}"), CloseCodes.TOO_BIG, "JSON number exponent exceeds 1000");
        assertThat(refusal(StructureTooBigException.class, new LongDecoder(LARGE), "-" + bomb))
                .hasMessage("JSON number exponent exceeds 1000");
        assertThat(refusal(StructureTooBigException.class, new BigIntegerDecoder(LARGE), "1E+1001"))
                .hasMessage("JSON number exponent exceeds 1000");
        assertThat(refusal(StructureTooBigException.class, new BigIntegerDecoder(LARGE), "1e-00000000000000001001"))
                .hasMessage("JSON number exponent exceeds 1000");
        assertThat(refusal(StructureTooBigException.class, new BigIntegerDecoder(LARGE), "9".repeat(1001)))
                .hasMessage("JSON number exceeds 1000 bytes");
        assertThat(refusal(StructureTooBigException.class, new JsonValueDecoder(structure(64, 10, 8)), "123456789"))
                .hasMessage("JSON number exceeds 8 bytes");
    }

    @Test
    void acceptsLargeButHarmlessNumbers() throws IOException {
        assertThat(decode(new BigIntegerDecoder(LARGE), "9".repeat(1000))).isEqualTo(new BigInteger("9".repeat(1000)));
        assertThat(decode(new JsonValueDecoder(LARGE), "[1e1000, -2.5E-0999]").toString()).contains("1E+1000");
    }

    // ----- what passes comes out intact -----

    @Test
    void decodesFourByteCharactersInStringsAndKeysIntact() throws IOException {
        String emoji = "\uD83D\uDE00\uD834\uDD1E"; // 😀𝄞
        Note note = decode(new NoteDecoder(LARGE), "{\"text\":\"" + emoji + "\",\"tags\":[\"\\uD83D\\uDE00\"]}");
        JsonObject object = decode(new JsonObjectDecoder(LARGE), "{\"" + emoji + "\":\"" + emoji + "\"}");

        assertThat(note).isEqualTo(new Note(emoji, List.of("\uD83D\uDE00")));
        assertThat(object.getString(emoji)).isEqualTo(emoji);
    }

    @Test
    void roundTripsARecordThroughJsonEncoderAndJsonDecoder() throws Exception {
        Note note = new Note("caf\u00e9 \uD83D\uDE00 \"quoted\"\n", List.of("a", "b"));
        NoteEncoder encoder = new NoteEncoder();
        encoder.init(null);

        String json = encoder.encode(note);
        encoder.destroy();

        assertThat(decode(new NoteDecoder(LARGE), json)).isEqualTo(note);
    }

    @Test
    void givesTheSameJsonObjectBackThroughJsonObjectEncoder() throws Exception {
        String json = "{\"name\":\"\uD83D\uDE00\",\"n\":[1,2.5,-3e2],\"ok\":true,\"none\":null,\"in\":{\"x\":{}}}";

        JsonObject decoded = decode(new JsonObjectDecoder(LARGE), json);
        String sent = new JsonObjectEncoder().encode(decoded);

        assertThat(decoded).isEqualTo(Json.createReader(new StringReader(json)).readObject());
        assertThat(Json.createReader(new StringReader(sent)).readObject()).isEqualTo(decoded);
    }

    public record LineItem(String itemName, int unitCount) {
    }

    public static class SnakeCaseDecoder extends JsonDecoder<LineItem> {
        public SnakeCaseDecoder(MessageSizePolicy policy) {
            super(policy);
        }

        @Override
        protected Jsonb createJsonb() {
            return JsonbBuilder.create(new JsonbConfig()
                    .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));
        }
    }

    @Test
    void mapsWithTheJsonbASubclassConfigures() throws IOException {
        assertThat(decode(new SnakeCaseDecoder(LARGE), "{\"item_name\":\"pen\",\"unit_count\":3}"))
                .isEqualTo(new LineItem("pen", 3));
    }

    @Test
    void findsTheTypeThroughAGenericIntermediateClass() throws IOException {
        List<Order> orders = decode(new OrdersDecoder(LARGE), "[{\"item\":\"a\",\"quantity\":1}]");

        assertThat(orders).containsExactly(new Order("a", 1));
    }

    @Test
    void refusesToBeCreatedWithoutAConcreteType() {
        assertThatThrownBy(OpenDecoder::new).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must name the type it decodes to");
    }

    // ----- policy and reader -----

    @Test
    void usesTheBuiltInDefaultsWithoutCdiOrSizeguard() {
        String json = "\"" + "x".repeat((int) MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES - 1) + "\"";

        assertThat(refusal(MessageTooBigException.class, new DefaultOrderDecoder(), json))
                .hasMessage("text message exceeds 65536 bytes");
    }

    @Test
    void usesTheDefaultPolicyOfTheApplicationWithoutCdi() {
        MessageSizePolicy small = textLimit(10);
        DeployedApplication.install(ConfiguredPolicies.only(small));

        assertThat(refusal(MessageTooBigException.class, new DefaultOrderDecoder(), "{\"item\":\"abc\"}"))
                .hasMessage("text message exceeds 10 bytes");
    }

    @Test
    void passesOnAFailureOfTheReaderItself() {
        Reader failing = new Reader() {
            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("the session closed");
            }

            @Override
            public void close() {
            }
        };
        OrderDecoder decoder = new OrderDecoder(LARGE);
        decoder.init(null);

        assertThatThrownBy(() -> decoder.decode(failing)).isExactlyInstanceOf(IOException.class)
                .hasMessage("the session closed");
    }

    @Test
    void decodesWithoutInitAsWell() throws IOException {
        assertThat(new OrderDecoder(LARGE).decode(new StringReader("{\"item\":\"a\",\"quantity\":1}")))
                .isEqualTo(new Order("a", 1));
    }

    public static class JsonValueDecoder extends JsonDecoder<JsonValue> {
        public JsonValueDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    /** Counts the characters handed out. */
    static final class CountingReader extends Reader {
        private final Reader in;
        long chars;

        CountingReader(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int count = in.read(buffer, offset, length);
            if (count > 0) {
                chars += count;
            }
            return count;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
