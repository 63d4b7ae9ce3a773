package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.ImmutableValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;

class MessagePackReaderTest {

    private static final MessagePackReader DEFAULTS = new MessagePackReader(StructureLimits.DEFAULTS, 1024 * 1024);

    /** The most a refusal of a lying header may allocate on the reading thread (the exception and its trace). */
    private static final long SMALL_ALLOCATION = 64 * 1024; // measured: 3 to 14 KB

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private interface Packing {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    private static byte[] packed(Packing packing) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packing.pack(packer);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] nestedArrays(int levels) {
        byte[] bytes = new byte[levels + 1];
        Arrays.fill(bytes, 0, levels, (byte) 0x91); // fixarray of one element
        bytes[levels] = (byte) 0xc0; // nil
        return bytes;
    }

    /** Bytes allocated by this thread while {@code action} ran, and what it threw. */
    private static Object[] allocatedWhile(Runnable action) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        catchThrowable(action::run); // warm up: class loading and the first exception are not what is measured
        long before = threads.getCurrentThreadAllocatedBytes();
        Throwable thrown = catchThrowable(action::run);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        return new Object[] {allocated, thrown};
    }

    private static void assertRefusedAllocatingLittle(byte[] input, MessagePackReader reader,
            Class<? extends SizeguardCloseException> type, String reason) {
        Object[] outcome = allocatedWhile(() -> {
            try {
                reader.read(input);
            } catch (SizeguardCloseException expected) {
                if (!type.isInstance(expected) || !expected.getMessage().equals(reason)) {
                    throw new AssertionError("unexpected refusal " + expected, expected);
                }
                return;
            }
            throw new AssertionError("accepted " + HexFormat.of().formatHex(input));
        });
        // An OutOfMemoryError here (a lying header believed) is caught and shown, not left to end the test JVM.
        assertThat((Throwable) outcome[1]).isNull();
        assertThat((long) outcome[0]).as("bytes allocated while refusing").isLessThan(SMALL_ALLOCATION);
    }

    // ----- the message limit -----

    @Test
    void acceptsAMessageOfExactlyTheMessageLimit() {
        byte[] message = packed(p -> p.packBinaryHeader(6).writePayload(new byte[6])); // 8 bytes
        ImmutableValue value = new MessagePackReader(StructureLimits.DEFAULTS, 8).read(message);

        assertThat(value.asBinaryValue().asByteArray()).hasSize(6);
    }

    @Test
    void refusesAMessageOneByteOverTheMessageLimitBeforeParsingIt() {
        byte[] message = packed(p -> p.packBinaryHeader(7).writePayload(new byte[7])); // 9 bytes

        assertThatThrownBy(() -> new MessagePackReader(StructureLimits.DEFAULTS, 8).read(message))
                .isInstanceOfSatisfying(MessageTooBigException.class, tooBig -> {
                    assertThat(tooBig.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
                    assertThat(tooBig.kind()).isEqualTo(MessageKind.BINARY);
                    assertThat(tooBig.limit()).isEqualTo(8);
                    assertThat(tooBig.observedBytes()).isEqualTo(9);
                })
                .hasMessage("binary message exceeds 8 bytes");
    }

    // ----- value length -----

    @Test
    void acceptsAStringOfExactlyTheValueLimit() {
        MessagePackReader reader = new MessagePackReader(new StructureLimits(64, 100, 5), 100);

        assertThat(reader.read(packed(p -> p.packString("12345"))).asStringValue().asString()).isEqualTo("12345");
    }

    @Test
    void refusesAStringOneByteOverTheValueLimit() {
        MessagePackReader reader = new MessagePackReader(new StructureLimits(64, 100, 5), 100);

        assertThatThrownBy(() -> reader.read(packed(p -> p.packString("123456"))))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack string of 6 bytes exceeds 5 bytes");
    }

    @Test
    void refusesBinaryAndExtensionValuesOneByteOverTheValueLimit() {
        MessagePackReader reader = new MessagePackReader(new StructureLimits(64, 100, 5), 100);

        assertThat(reader.read(packed(p -> p.packBinaryHeader(5).writePayload(new byte[5]))).isBinaryValue()).isTrue();
        assertThatThrownBy(() -> reader.read(packed(p -> p.packBinaryHeader(6).writePayload(new byte[6]))))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack binary value of 6 bytes exceeds 5 bytes");
        assertThatThrownBy(() -> reader.read(packed(p -> p.packExtensionTypeHeader((byte) 7, 6)
                .writePayload(new byte[6]))))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack extension value of 6 bytes exceeds 5 bytes");
    }

    @Test
    void refusesAHeaderDeclaringA4GiBStringInA10ByteMessageBeforeAllocatingIt() {
        byte[] input = hex("db ffffffff 6162636465"); // str32 of 4294967295 bytes, then 5 bytes

        assertRefusedAllocatingLittle(input, DEFAULTS, StructureTooBigException.class,
                "MessagePack string of 4294967295 bytes exceeds 1048576 bytes");
    }

    @Test
    void refusesADeclaredLengthBeyondTheMessageEvenWithoutAValueLimit() {
        MessagePackReader unlimited = new MessagePackReader(
                new StructureLimits(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), Long.MAX_VALUE);

        assertRefusedAllocatingLittle(hex("db ffffffff 6162636465"), unlimited, UndecodableMessageException.class,
                "MessagePack could not be decoded: a string of 4294967295 bytes cannot fit in the 5 bytes left");
        assertRefusedAllocatingLittle(hex("c6 7fffffff 0102030405"), unlimited, UndecodableMessageException.class,
                "MessagePack could not be decoded: a binary value of 2147483647 bytes cannot fit in the 5 bytes left");
        assertRefusedAllocatingLittle(hex("c9 ffffffff 07 01020304"), unlimited, UndecodableMessageException.class,
                "MessagePack could not be decoded: an extension value of 4294967295 bytes cannot fit in the 4 bytes"
                        + " left");
    }

    // ----- element counts -----

    @Test
    void refusesAHeaderDeclaring2Pow32Minus1ArrayElementsInA10ByteMessageBeforeAllocating() {
        byte[] input = hex("dd ffffffff 0102030405"); // array32 of 4294967295 elements, then 5 bytes

        assertRefusedAllocatingLittle(input, DEFAULTS, StructureTooBigException.class,
                "MessagePack array of 4294967295 elements exceeds 100000 elements");
    }

    @Test
    void refusesAHeaderDeclaring2Pow32Minus1MapEntriesInA10ByteMessageBeforeAllocating() {
        byte[] input = hex("df ffffffff 0102030405"); // map32 of 4294967295 entries

        assertRefusedAllocatingLittle(input, DEFAULTS, StructureTooBigException.class,
                "MessagePack map of 4294967295 entries exceeds 100000 elements");
    }

    @Test
    void refusesADeclaredCountBeyondTheMessageEvenWithoutAnElementLimit() {
        MessagePackReader unlimited = new MessagePackReader(
                new StructureLimits(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), Long.MAX_VALUE);

        // 2^31 - 1 fits an int, so msgpack-core would hand it over and a naive reader would allocate 8 GiB of slots.
        assertRefusedAllocatingLittle(hex("dd 7fffffff 0102030405"), unlimited, UndecodableMessageException.class,
                "MessagePack could not be decoded: an array of 2147483647 elements cannot fit in the 5 bytes left");
        assertRefusedAllocatingLittle(hex("df 7fffffff 0102030405"), unlimited, UndecodableMessageException.class,
                "MessagePack could not be decoded: a map of 2147483647 entries cannot fit in the 5 bytes left");
        // A map entry needs two bytes: 3 entries cannot fit in 5 bytes.
        assertRefusedAllocatingLittle(hex("83 0102030405"), unlimited, UndecodableMessageException.class,
                "MessagePack could not be decoded: a map of 3 entries cannot fit in the 5 bytes left");
    }

    @Test
    void acceptsExactlyTheElementLimitCountedOverTheWholeMessage() {
        MessagePackReader reader = new MessagePackReader(new StructureLimits(64, 10, 100), 1000);
        byte[] message = packed(p -> {
            p.packArrayHeader(4);
            p.packArrayHeader(4).packInt(1).packInt(2).packInt(3).packInt(4);
            p.packMapHeader(2).packString("a").packInt(5).packString("b").packInt(6);
            p.packInt(7);
            p.packArrayHeader(0);
        }); // 4 + 4 + 2 + 0 = 10 elements

        assertThat(reader.read(message).asArrayValue().size()).isEqualTo(4);
    }

    @Test
    void refusesTooManyElementsInTotalThoughNoContainerIsTooBig() {
        MessagePackReader reader = new MessagePackReader(new StructureLimits(64, 10, 100), 1000);
        byte[] message = packed(p -> {
            p.packArrayHeader(3);
            p.packArrayHeader(4).packInt(1).packInt(2).packInt(3).packInt(4);
            p.packArrayHeader(4).packInt(1).packInt(2).packInt(3).packInt(4);
            p.packArrayHeader(0);
        }); // 3 + 4 + 4 = 11 elements

        assertThatThrownBy(() -> reader.read(message))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack message of 11 elements exceeds 10 elements");
    }

    @Test
    void refusesOneContainerOverTheElementLimit() {
        MessagePackReader reader = new MessagePackReader(new StructureLimits(64, 10, 100), 1000);

        assertThatThrownBy(() -> reader.read(packed(p -> {
            p.packArrayHeader(11);
            for (int i = 0; i < 11; i++) {
                p.packInt(i);
            }
        }))).isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack array of 11 elements exceeds 10 elements");
    }

    // ----- nesting -----

    @Test
    void acceptsNestingOfExactly64Levels() {
        Value value = DEFAULTS.read(nestedArrays(64));

        int depth = 0;
        while (value.isArrayValue()) {
            value = value.asArrayValue().get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(64);
        assertThat(value.isNilValue()).isTrue();
    }

    @Test
    void refusesNestingOf65Levels() {
        assertThatThrownBy(() -> DEFAULTS.read(nestedArrays(65)))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack nesting exceeds 64 levels");
    }

    @Test
    void countsMapsAsNestingLevelsToo() {
        byte[] mapsAndArrays = new byte[65 * 2 + 1];
        for (int i = 0; i < 65; i++) {
            mapsAndArrays[2 * i] = (byte) 0x81; // fixmap of one entry
            mapsAndArrays[2 * i + 1] = (byte) 0x01; // key 1, the value follows
        }
        mapsAndArrays[130] = (byte) 0xc0;

        assertThatThrownBy(() -> DEFAULTS.read(mapsAndArrays))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack nesting exceeds 64 levels");
    }

    @Test
    void refusesAMillionNestedArrayHeadersFastWithoutStackOverflow() {
        assertRefusedAllocatingLittle(nestedArrays(1_000_000), DEFAULTS, StructureTooBigException.class,
                "MessagePack nesting exceeds 64 levels");
    }

    @Test
    void readsAMillionNestedArraysWithoutRecursionWhenNoLimitStopsThem() throws IOException {
        MessagePackReader unlimited = new MessagePackReader(
                new StructureLimits(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), Long.MAX_VALUE);
        byte[] input = nestedArrays(1_000_000);

        Value value = unlimited.read(input);

        int depth = 0;
        while (value.isArrayValue()) {
            value = value.asArrayValue().get(0);
            depth++;
        }
        assertThat(depth).isEqualTo(1_000_000);
    }

    // ----- malformed and truncated -----

    @Test
    void refusesEveryTruncationOfAValidMessageAsUndecodable() {
        byte[] message = packed(p -> {
            p.packMapHeader(3);
            p.packString("name").packString("Zoë 😀");
            p.packString("n").packLong(Long.MIN_VALUE);
            p.packString("list").packArrayHeader(3).packDouble(1.5).packFloat(2.5f)
                    .packBinaryHeader(3).writePayload(new byte[] {1, 2, 3});
        });
        assertThat(DEFAULTS.read(message).isMapValue()).isTrue();

        for (int length = 0; length < message.length; length++) {
            byte[] truncated = Arrays.copyOf(message, length);
            assertThatThrownBy(() -> DEFAULTS.read(truncated))
                    .as("the first %d bytes", length)
                    .isInstanceOf(UndecodableMessageException.class)
                    .satisfies(e -> assertThat(((SizeguardCloseException) e).closeCode())
                            .isEqualTo(CloseCodes.NOT_CONSISTENT))
                    .hasMessageStartingWith("MessagePack could not be decoded: ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c1",             // never used
        "92 01 c1",       // never used inside an array
        "a3 61 62",       // str of 3 with 2 bytes
        "cd 01",          // uint16 cut short
        "cb 3ff0",        // float64 cut short
        "d4 01",          // fixext1 without its byte
        "81 01",          // map entry without a value
    })
    void refusesMalformedInputAsUndecodable(String input) {
        assertThatThrownBy(() -> DEFAULTS.read(hex(input)))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageStartingWith("MessagePack could not be decoded: ");
    }

    @Test
    void refusesAnEmptyMessage() {
        assertThatThrownBy(() -> DEFAULTS.read(new byte[0]))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessage("MessagePack could not be decoded: the message is empty");
    }

    @Test
    void refusesBytesAfterTheValue() {
        assertThatThrownBy(() -> DEFAULTS.read(hex("01 02 03")))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessage("MessagePack could not be decoded: 2 bytes follow the value");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a1 80",          // a lone continuation byte
        "a2 c0 80",       // overlong NUL
        "a3 eda080",      // an encoded surrogate (U+D800)
        "a4 f4908080",    // above U+10FFFF
        "a3 f09f98",      // a 4-byte sequence cut short
        "a1 ff",          // never valid
    })
    void refusesAStringThatIsNotValidUtf8(String input) {
        assertThatThrownBy(() -> DEFAULTS.read(hex(input)))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessage("MessagePack could not be decoded: a string is not valid UTF-8");
    }

    @Test
    void keepsFourByteUtf8CharactersIntact() {
        String text = "😀 𝄞 and 𠜎, € and ü";
        byte[] message = packed(p -> p.packString(text));

        ImmutableValue value = DEFAULTS.read(message);

        assertThat(value.asStringValue().asString()).isEqualTo(text);
        assertThat(value.asStringValue().asByteArray()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsFromTheBufferPositionToItsLimitWithoutMovingIt() {
        ByteBuffer buffer = ByteBuffer.wrap(hex("ff 93 01 02 03 ff"));
        buffer.position(1).limit(5);

        ArrayValue array = DEFAULTS.read(buffer).asArrayValue();

        assertThat(array.list()).containsExactly(ValueFactory.newInteger(1), ValueFactory.newInteger(2),
                ValueFactory.newInteger(3));
        assertThat(buffer.position()).isEqualTo(1);
    }

    @Test
    void readsADirectBuffer() {
        byte[] message = packed(p -> p.packArrayHeader(2).packString("a").packNil());
        ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();

        assertThat(DEFAULTS.read(direct).asArrayValue().size()).isEqualTo(2);
    }

    @Test
    void refusesNullAsUndecodable() {
        assertThatThrownBy(() -> DEFAULTS.read((ByteBuffer) null)).isInstanceOf(UndecodableMessageException.class);
    }

    @Test
    void refusesContainersWhenTheDepthLimitIsZeroButAcceptsScalars() {
        MessagePackReader flat = new MessagePackReader(new StructureLimits(0, 10, 10), 100);

        assertThat(flat.read(hex("2a")).asIntegerValue().toInt()).isEqualTo(42);
        assertThatThrownBy(() -> flat.read(hex("90")))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack nesting exceeds 0 levels");
    }
}
