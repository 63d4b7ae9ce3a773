package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.internal.DeployedApplication;
import org.sizeguard.internal.MemoryBudget;

class InflatingDecoderTest {

    /** Text messages of 1 KiB, binary of 2 KiB, JSON nesting 4. */
    private static final MessageSizePolicy SMALL = new MessageSizePolicy("small", 1024, 2048, 1024, 2048,
            Duration.ZERO, new StructureLimits(4, 100, 512));

    public static class Order {
        public String id;
        public List<Integer> quantities;
    }

    static final class GzipJsonOrders extends InflatingDecoder<Order> {
        GzipJsonOrders(MessageSizePolicy policy) {
            super(Inflation.GZIP, limits -> new JsonDecoder<Order>(limits) {}, policy);
        }
    }

    static final class GzipText extends InflatingDecoder<String> {
        GzipText(MessageSizePolicy policy) {
            super(Inflation.GZIP, SizeLimitedTextDecoder::new, policy);
        }
    }

    static final class ZlibWholeText extends InflatingDecoder<String> {
        ZlibWholeText(MessageSizePolicy policy) {
            super(Inflation.ZLIB, limits -> new WholeText(), policy);
        }
    }

    static final class DeflateMessagePack extends InflatingDecoder<Value> {
        DeflateMessagePack(MessageSizePolicy policy) {
            super(Inflation.DEFLATE, MessagePackValueDecoder::new, policy);
        }
    }

    static final class GzipBytes extends InflatingDecoder<byte[]> {
        GzipBytes(MessageSizePolicy policy) {
            super(Inflation.GZIP, SizeLimitedBinaryDecoder::new, policy);
        }
    }

    /** Reads a char at a time, as some parsers do. */
    static final class GzipCharByChar extends InflatingDecoder<String> {
        GzipCharByChar(MessageSizePolicy policy) {
            super(Inflation.GZIP, limits -> new CharByChar(), policy);
        }
    }

    /** A {@code Decoder.Text}: the payload whole, as a {@code String}. */
    static final class WholeText implements Decoder.Text<String> {
        boolean initialised;
        boolean destroyed;

        @Override
        public void init(EndpointConfig config) {
            initialised = true;
        }

        @Override
        public void destroy() {
            destroyed = true;
        }

        @Override
        public String decode(String s) {
            return s;
        }

        @Override
        public boolean willDecode(String s) {
            return true;
        }
    }

    static final class CharByChar implements Decoder.TextStream<String> {
        @Override
        public String decode(Reader reader) throws IOException {
            StringBuilder text = new StringBuilder();
            for (int c = reader.read(); c >= 0; c = reader.read()) {
                text.append((char) c);
            }
            return text.toString();
        }
    }

    @AfterEach
    void forgetTheBudget() {
        DeployedApplication.install((MemoryBudget) null);
    }

    private static <T> T decode(InflatingDecoder<T> decoder, byte[] compressed) throws Exception {
        decoder.init(null);
        return decoder.decode(ByteBuffer.wrap(compressed));
    }

    @FunctionalInterface
    private interface Compressing {
        OutputStream open(OutputStream out) throws IOException;
    }

    private static byte[] compressed(Compressing format, byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressing = format.open(out)) {
            compressing.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(String text) throws IOException {
        return gzip(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        return compressed(GZIPOutputStream::new, bytes);
    }

    private static byte[] zlib(byte[] bytes) throws IOException {
        return compressed(DeflaterOutputStream::new, bytes);
    }

    private static byte[] rawDeflate(byte[] bytes) throws IOException {
        return compressed(out -> new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true)), bytes);
    }

    /** {@code length} zeros, gzipped a MiB at a time (64 MiB compress to about 64 KiB). */
    private static byte[] gzippedZeros(long length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] mebibyte = new byte[1 << 20];
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            for (long left = length; left > 0; left -= mebibyte.length) {
                gzip.write(mebibyte, 0, (int) Math.min(left, mebibyte.length));
            }
        }
        return out.toByteArray();
    }

    private static void assertRefused(ThrowingDecode decode, CloseCodes code, String reason) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(SizeguardCloseException.class, refused -> {
            assertThat(refused.closeCode()).isEqualTo(code);
            assertThat(refused.closeReason().getReasonPhrase()).isEqualTo(reason);
        });
    }

    @FunctionalInterface
    private interface ThrowingDecode {
        Object run() throws Exception;
    }

    @Test
    void decodesGzippedJsonWithTheJsonDecoderUnderTheSamePolicy() throws Exception {
        Order order = decode(new GzipJsonOrders(SMALL), gzip("{\"id\":\"A-😀\",\"quantities\":[1,2,3]}"));

        assertThat(order.id).isEqualTo("A-😀");
        assertThat(order.quantities).containsExactly(1, 2, 3);
        assertRefused(() -> decode(new GzipJsonOrders(SMALL), gzip("[[[[[1]]]]]")), CloseCodes.TOO_BIG,
                "JSON nesting exceeds 4 levels");
    }

    @Test
    void decodesEveryFormatIntoEveryKindOfInnerDecoder() throws Exception {
        String text = "caf\u00e9 😀 ".repeat(20);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Value value = ValueFactory.newArray(ValueFactory.newString("x"), ValueFactory.newInteger(42));

        assertThat(decode(new GzipText(SMALL), gzip(utf8))).isEqualTo(text);
        assertThat(decode(new ZlibWholeText(SMALL), zlib(utf8))).isEqualTo(text);
        assertThat(decode(new GzipCharByChar(SMALL), gzip(utf8))).isEqualTo(text);
        assertThat(decode(new DeflateMessagePack(SMALL), rawDeflate(MessagePackValueEncoder.pack(value))))
                .isEqualTo(value);
        assertThat(decode(new GzipBytes(SMALL), gzip(new byte[] {0, 1, 2, -1}))).containsExactly(0, 1, 2, -1);
    }

    @Test
    void countsInflatedTextAgainstTheTextLimitExactlyTheLimitPassingAndOneMoreRefused() throws Exception {
        String exactly = "é".repeat(512); // 1,024 UTF-8 bytes
        assertThat(decode(new ZlibWholeText(SMALL), zlib(exactly.getBytes(StandardCharsets.UTF_8)))).isEqualTo(exactly);
        assertThat(decode(new GzipText(SMALL), gzip(exactly))).isEqualTo(exactly);

        assertRefused(() -> decode(new ZlibWholeText(SMALL), zlib((exactly + "a").getBytes(StandardCharsets.UTF_8))),
                CloseCodes.TOO_BIG, "text message exceeds 1024 bytes");
        assertRefused(() -> decode(new GzipText(SMALL), gzip(exactly + "a")), CloseCodes.TOO_BIG,
                "text message exceeds 1024 bytes");
    }

    @Test
    void countsInflatedBinaryAgainstTheBinaryLimit() throws Exception {
        assertThat(decode(new GzipBytes(SMALL), gzip(new byte[2048]))).hasSize(2048);

        assertRefused(() -> decode(new GzipBytes(SMALL), gzip(new byte[2049])), CloseCodes.TOO_BIG,
                "binary message exceeds 2048 bytes");
    }

    @Test
    void refusesA64MiBBombAfterTheLimitPlusOneByteAndReleasesWhatItReserved() throws Exception {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        DeployedApplication.install(budget);
        byte[] bomb = gzippedZeros(64L << 20);
        assertThat(bomb.length).isLessThan(128 * 1024);

        for (InflatingDecoder<?> decoder : List.of(new GzipBytes(SMALL), new GzipText(SMALL),
                new GzipJsonOrders(SMALL))) {
            assertThatThrownBy(() -> decode(decoder, bomb)).isInstanceOfSatisfying(MessageTooBigException.class,
                    tooBig -> assertThat(tooBig.observedBytes()).isEqualTo(tooBig.limit() + 1));
            assertThat(budget.reserved()).isZero();
        }
    }

    @Test
    void wrapsNoRefusalOfTheInflaterInTheInnerDecodersOwnAnswer() throws Exception {
        // The JSON decoder reads the first 1,025 bytes of a valid JSON string: its own answer would be "malformed".
        byte[] tooLongJson = gzip("\"" + "a".repeat(5000) + "\"");

        assertRefused(() -> decode(new GzipJsonOrders(SMALL), tooLongJson), CloseCodes.TOO_BIG,
                "text message exceeds 1024 bytes");
    }

    @Test
    void refusesDataThatIsNotInTheFormatWith1007() throws Exception {
        byte[] truncated = Arrays.copyOf(gzip("hello, hello, hello"), 12);

        assertRefused(() -> decode(new GzipText(SMALL), "not gzip".getBytes(StandardCharsets.US_ASCII)),
                CloseCodes.NOT_CONSISTENT, "binary message is not valid gzip data");
        assertRefused(() -> decode(new GzipText(SMALL), truncated), CloseCodes.NOT_CONSISTENT,
                "binary message is not valid gzip data");
        assertRefused(() -> decode(new ZlibWholeText(SMALL), gzip("hello")), CloseCodes.NOT_CONSISTENT,
                "binary message is not valid zlib data");
    }

    @Test
    void refusesInflatedTextThatIsNotUtf8With1007() throws Exception {
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        byte[] cutInTheMiddle = Arrays.copyOf("😀".getBytes(StandardCharsets.UTF_8), 3);

        for (byte[] bad : List.of(latin1, cutInTheMiddle)) {
            assertRefused(() -> decode(new GzipText(SMALL), gzip(bad)), CloseCodes.NOT_CONSISTENT,
                    "inflated text is not valid UTF-8");
            assertRefused(() -> decode(new ZlibWholeText(SMALL), zlib(bad)), CloseCodes.NOT_CONSISTENT,
                    "inflated text is not valid UTF-8");
        }
    }

    @Test
    void reservesWhatItHoldsAgainstTheBudgetAndAnswers1013WhenItIsSpent() throws Exception {
        MemoryBudget tight = new MemoryBudget(Inflation.HELD_BYTES + 100);
        DeployedApplication.install(tight);

        assertThatThrownBy(() -> decode(new ZlibWholeText(SMALL), zlib(new byte[10])))
                .isInstanceOfSatisfying(BudgetExhaustedException.class,
                        spent -> assertThat(spent.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER));
        assertThat(tight.reserved()).isZero();
        // A text stream decoder holds the inflater and 8 KiB of UTF-8 buffers.
        assertThatThrownBy(() -> decode(new GzipText(SMALL), gzip("fits"))).isInstanceOf(BudgetExhaustedException.class);
        assertThat(tight.reserved()).isZero();

        MemoryBudget enough = new MemoryBudget(Inflation.HELD_BYTES + 2 * 4096);
        DeployedApplication.install(enough);
        assertThat(decode(new GzipText(SMALL), gzip("fits"))).isEqualTo("fits");
        assertThat(enough.reserved()).isZero();
    }

    @Test
    void createsTheInnerDecoderOnceWithThePolicyAndInitialisesAndDestroysIt() throws Exception {
        WholeText[] created = new WholeText[1];
        int[] creations = {0};
        InflatingDecoder<String> decoder = new InflatingDecoder<>(Inflation.ZLIB, policy -> {
            assertThat(policy).isSameAs(SMALL);
            creations[0]++;
            created[0] = new WholeText();
            return created[0];
        }, SMALL) {};

        decode(decoder, zlib(new byte[] {'a'}));
        decoder.decode(ByteBuffer.wrap(zlib(new byte[] {'b'})));
        decoder.destroy();

        assertThat(creations[0]).isEqualTo(1);
        assertThat(created[0].initialised).isTrue();
        assertThat(created[0].destroyed).isTrue();
        assertThat(decoder.policy()).isSameAs(SMALL);
    }

    @Test
    void refusesAnInnerDecoderOfNoKnownKindAtInit() {
        InflatingDecoder<Object> decoder = new InflatingDecoder<>(Inflation.GZIP, policy -> new Decoder() {}, SMALL) {};

        assertThatThrownBy(() -> decoder.init(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a Decoder.Text, TextStream, Binary or BinaryStream");
    }

    @Test
    void leavesTheMessagesPositionAsItWas() throws Exception {
        ByteBuffer message = ByteBuffer.wrap(gzip("x"));
        GzipText decoder = new GzipText(SMALL);
        decoder.init(null);

        assertThat(decoder.decode(message)).isEqualTo("x");
        assertThat(message.position()).isZero();
    }
}
