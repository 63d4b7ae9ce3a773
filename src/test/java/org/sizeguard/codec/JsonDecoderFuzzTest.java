package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.CloseReasons;
import org.sizeguard.internal.Utf8;

/**
 * Feeds arbitrary text to {@link JsonDecoder} under small, fuzzed limits and checks what it promises: it returns a
 * value or refuses with one of its three close exceptions, nothing else (no parser or JSON-B exception, no
 * {@link StackOverflowError}, no {@link OutOfMemoryError}); it never returns after reading more than the limit, and
 * refuses as too big exactly the messages that are; a {@code JsonValue} it returns is the one a plain JSON-P reader
 * builds from the same text; every reason fits a close frame.
 * <p>
 * In a plain {@code mvn test} this runs the seeds in {@code src/test/resources/org/sizeguard/codec/
 * JsonDecoderFuzzTestInputs/}; {@code mvn -Pfuzz test} (and {@code .ci/run}) fuzzes it for the annotation's
 * {@code maxDuration}, {@code -Djazzer.max_duration=10m} for longer.
 * <p>
 * Input layout (so that seeds are easy to write and every byte string is a valid input): byte 0 chooses the target
 * type, byte 1 the reader's largest chunk, bytes 2 to 6 the structure limits and the size limit, the rest is the
 * message as UTF-8 (malformed sequences become U+FFFD, as no container would deliver them).
 */
class JsonDecoderFuzzTest {

    static final int HEADER = 7;

    /**
     * Fields of the types whose conversions number bombs aim at. A class with public fields, not a record: Jazzer's
     * instrumentation drops the {@code MethodParameters} attribute, so JSON-B would see a record's canonical
     * constructor with parameters {@code arg0, arg1, ...}, map no property at all, and convert no number.
     */
    public static class Shape {
        public String name;
        public int count;
        public long big;
        public BigInteger huge;
        public BigDecimal amount;
        public double ratio;
        public List<String> tags;
        public Map<String, Integer> scores;
        public List<Shape> children;
    }

    /** Creating a Jsonb per input would make the mapping target ten times slower to fuzz than the others. */
    private static final Jsonb SHARED = JsonbBuilder.create();

    public static class ShapeDecoder extends JsonDecoder<Shape> {
        public ShapeDecoder(MessageSizePolicy policy) {
            super(policy);
        }

        @Override
        protected Jsonb createJsonb() {
            return SHARED;
        }

        @Override
        public void destroy() {
            // SHARED outlives the decoder.
        }
    }

    public static class ValueDecoder extends JsonDecoder<JsonValue> {
        public ValueDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void decodesOrRefusesWithACloseCodeWithinTheLimit(byte[] input) throws IOException {
        byte[] header = Arrays.copyOf(input, HEADER);
        int target = (header[0] & 0xFF) % 3;
        int chunk = 1 + (header[1] & 0x3F);
        int depth = (header[2] & 0xFF) % 72;
        int elements = header[3] & 0xFF;
        int valueBytes = header[4] & 0xFF;
        int limit = ((header[5] & 0xFF) << 8 | header[6] & 0xFF) % 4097;
        String text = input.length > HEADER
                ? new String(input, HEADER, input.length - HEADER, StandardCharsets.UTF_8) : "";
        long size = Utf8.encodedLength(text);

        MessageSizePolicy policy = new MessageSizePolicy("fuzz", limit, limit, limit, limit, Duration.ofSeconds(30),
                new StructureLimits(depth, elements, valueBytes));
        JsonDecoder<?> decoder = switch (target) {
            case 0 -> new ValueDecoder(policy);
            case 1 -> new ShapeDecoder(policy);
            default -> new JsonObjectDecoder(policy);
        };
        MeasuringReader reader = new MeasuringReader(text, chunk);
        decoder.init(null);
        try {
            Object value = decoder.decode(reader);

            assertThat(value).as("a decoded message").isNotNull();
            assertThat(reader.bytes).as("bytes read of a decoded message").isLessThanOrEqualTo(limit);
            assertThat(size).as("a decoded message's size").isLessThanOrEqualTo(limit);
            if (value instanceof JsonValue json) {
                assertThat(json).as("what a plain JSON-P reader makes of " + text)
                        .isEqualTo(Json.createReader(new StringReader(text)).readValue());
                Measure measured = new Measure();
                measured.add(json, 0);
                assertThat(measured.depth).as("nesting of a decoded message").isLessThanOrEqualTo(depth);
                assertThat(measured.elements).as("elements of a decoded message").isLessThanOrEqualTo(elements);
                assertThat(measured.longest).as("longest string or key").isLessThanOrEqualTo(valueBytes);
            }
        } catch (MessageTooBigException tooBig) {
            assertThat(size).as("size of a message refused as too big").isGreaterThan(limit);
            assertThat(tooBig.observedBytes()).isGreaterThan(limit);
            assertThat(reader.bytes).as("bytes read before refusing").isLessThanOrEqualTo(limit + 3L);
            assertThat(tooBig.getMessage()).isEqualTo("text message exceeds " + limit + " bytes");
            assertFits(tooBig);
        } catch (StructureTooBigException tooBig) {
            assertThat(tooBig.getMessage()).startsWith("JSON ")
                    .as("JSON-B ran out of stack within %d levels", depth).doesNotContain("too deep to map");
            assertThat(reader.bytes).isLessThanOrEqualTo(limit);
            assertFits(tooBig);
        } catch (UndecodableMessageException undecodable) {
            assertThat(undecodable.getMessage()).matches("JSON (could not be parsed|does not match \\w+): .+");
            assertThat(reader.bytes).isLessThanOrEqualTo(limit);
            assertFits(undecodable);
        } catch (SizeguardCloseException other) {
            fail("unexpected close exception " + other, other);
        } finally {
            decoder.destroy();
        }
    }

    /** The shape of a decoded value, measured independently of the decoder (recursively: depth is small here). */
    static final class Measure {
        int depth;
        long elements;
        long longest;

        void add(JsonValue value, int level) {
            switch (value.getValueType()) {
                case ARRAY -> {
                    depth = Math.max(depth, level + 1);
                    for (JsonValue item : value.asJsonArray()) {
                        elements++;
                        add(item, level + 1);
                    }
                }
                case OBJECT -> {
                    depth = Math.max(depth, level + 1);
                    value.asJsonObject().forEach((key, member) -> {
                        elements++;
                        longest = Math.max(longest, Utf8.encodedLength(key));
                        add(member, level + 1);
                    });
                }
                case STRING -> longest = Math.max(longest, Utf8.encodedLength(((JsonString) value).getString()));
                default -> {
                }
            }
        }
    }

    private static void assertFits(SizeguardCloseException refusal) {
        String phrase = refusal.closeReason().getReasonPhrase();
        assertThat(phrase.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CloseReasons.MAX_REASON_BYTES);
        assertThat(phrase).isNotBlank();
    }

    /** Hands the message out in chunks of at most {@code chunk} characters and counts their UTF-8 bytes. */
    static final class MeasuringReader extends Reader {
        private final String text;
        private final int chunk;
        private int position;
        long bytes;

        MeasuringReader(String text, int chunk) {
            this.text = text;
            this.chunk = chunk;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (position == text.length()) {
                return -1;
            }
            int count = Math.min(Math.min(length, chunk), text.length() - position);
            text.getChars(position, position + count, buffer, offset);
            bytes += Utf8.encodedLength(text.substring(position, position + count));
            position += count;
            return count;
        }

        @Override
        public void close() {
        }
    }
}
