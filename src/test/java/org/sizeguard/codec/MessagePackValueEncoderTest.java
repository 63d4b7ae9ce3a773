package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import jakarta.websocket.EncodeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.StructureLimits;

/** Round trips through {@link MessagePackValueDecoder} and {@link MessagePackValueEncoder}. */
class MessagePackValueEncoderTest {

    private static final MessageSizePolicy POLICY = new MessageSizePolicy("values", 1024, 1024 * 1024);

    private final MessagePackValueDecoder decoder = new MessagePackValueDecoder(POLICY);
    private final MessagePackValueEncoder encoder = new MessagePackValueEncoder();

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

    private byte[] roundTrip(byte[] message) throws EncodeException {
        Value value = decoder.decode(ByteBuffer.wrap(message));
        ByteBuffer out = encoder.encode(value);
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(longs = {
        0, 1, 127,                          // positive fixint
        128, 255,                           // uint8
        256, 65_535,                        // uint16
        65_536, 4_294_967_295L,             // uint32
        4_294_967_296L, Long.MAX_VALUE,     // uint64 (as packed for a long)
        -1, -32,                            // negative fixint
        -33, -128,                          // int8
        -129, -32_768,                      // int16
        -32_769, Integer.MIN_VALUE,         // int32
        Integer.MIN_VALUE - 1L, Long.MIN_VALUE, // int64
    })
    void roundTripsIntegersOfEveryWidthByteForByte(long number) throws EncodeException {
        byte[] message = packed(p -> p.packLong(number));

        Value value = decoder.decode(ByteBuffer.wrap(message));

        assertThat(value.asIntegerValue().toLong()).isEqualTo(number);
        assertThat(roundTrip(message)).isEqualTo(message);
    }

    @Test
    void roundTripsAnUnsigned64BitIntegerAboveLongMax() throws EncodeException {
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        byte[] message = packed(p -> p.packBigInteger(max));

        assertThat(decoder.decode(ByteBuffer.wrap(message)).asIntegerValue().toBigInteger()).isEqualTo(max);
        assertThat(roundTrip(message)).isEqualTo(message).startsWith(0xcf);
    }

    @Test
    void roundTripsFloat32AsFloat32AndFloat64AsFloat64() throws EncodeException {
        byte[] float32 = packed(p -> p.packFloat(0.1f));
        byte[] float64 = packed(p -> p.packDouble(0.1));
        byte[] specials = packed(p -> p.packArrayHeader(4).packFloat(Float.NaN).packDouble(Double.POSITIVE_INFINITY)
                .packFloat(-0.0f).packDouble(Double.MIN_VALUE));

        assertThat(float32).hasSize(5);
        assertThat(roundTrip(float32)).isEqualTo(float32);
        assertThat(roundTrip(float64)).isEqualTo(float64).hasSize(9);
        assertThat(roundTrip(specials)).isEqualTo(specials);
        assertThat(decoder.decode(ByteBuffer.wrap(float32)).asFloatValue().toFloat()).isEqualTo(0.1f);
    }

    @Test
    void roundTripsBinaryOfEveryHeaderWidth() throws EncodeException {
        for (int length : new int[] {0, 255, 256, 65_535, 65_536}) {
            byte[] payload = new byte[length];
            Arrays.fill(payload, (byte) 0xab);
            byte[] message = packed(p -> p.packBinaryHeader(length).writePayload(payload));

            assertThat(decoder.decode(ByteBuffer.wrap(message)).asBinaryValue().asByteArray()).isEqualTo(payload);
            assertThat(roundTrip(message)).isEqualTo(message);
        }
    }

    @Test
    void roundTripsStringsOfEveryHeaderWidthWithFourByteCharacters() throws EncodeException {
        for (int count : new int[] {0, 7, 63, 16_383, 16_384}) {
            String text = "😀".repeat(count); // 4 UTF-8 bytes each: fixstr, str8, str16 and str32
            byte[] message = packed(p -> p.packString(text));

            assertThat(decoder.decode(ByteBuffer.wrap(message)).asStringValue().asString()).isEqualTo(text);
            assertThat(roundTrip(message)).isEqualTo(message);
        }
    }

    @Test
    void roundTripsExtensionsOfEveryWidthKeepingTypeAndBytes() throws EncodeException {
        for (int length : new int[] {1, 2, 3, 4, 8, 16, 17, 256, 65_536}) {
            byte[] payload = new byte[length];
            Arrays.fill(payload, (byte) 7);
            byte[] message = packed(p -> p.packExtensionTypeHeader((byte) 42, length).writePayload(payload));

            Value value = decoder.decode(ByteBuffer.wrap(message));

            assertThat(value.asExtensionValue().getType()).isEqualTo((byte) 42);
            assertThat(value.asExtensionValue().getData()).isEqualTo(payload);
            assertThat(roundTrip(message)).isEqualTo(message);
        }
    }

    @Test
    void keepsATimestampExtensionAsItsRawBytes() throws EncodeException {
        for (Instant instant : new Instant[] {Instant.ofEpochSecond(1), Instant.ofEpochSecond(1, 5),
            Instant.ofEpochSecond(1L << 40, 999_999_999)}) {
            byte[] message = packed(p -> p.packTimestamp(instant)); // timestamp 32, 64 and 96

            Value value = decoder.decode(ByteBuffer.wrap(message));

            assertThat(value.getValueType()).isEqualTo(ValueType.EXTENSION);
            assertThat(value.asExtensionValue().getType()).isEqualTo((byte) -1);
            assertThat(roundTrip(message)).isEqualTo(message);
        }
    }

    @Test
    void roundTripsNilBooleansAndNestedMapsWithKeysOfAnyType() throws EncodeException {
        byte[] message = packed(p -> {
            p.packMapHeader(6);
            p.packNil().packBoolean(true);
            p.packInt(1).packBoolean(false);
            p.packString("nested").packMapHeader(2)
                    .packArrayHeader(2).packInt(1).packInt(2).packMapHeader(1).packString("deeper").packNil()
                    .packDouble(1.5).packBinaryHeader(1).writePayload(new byte[] {1});
            p.packBinaryHeader(2).writePayload(new byte[] {1, 2}).packArrayHeader(0);
            p.packFloat(2.5f).packMapHeader(0);
            p.packString("dup").packInt(1);
        });

        Value value = decoder.decode(ByteBuffer.wrap(message));

        assertThat(value.asMapValue().size()).isEqualTo(6);
        assertThat(value.asMapValue().map().get(ValueFactory.newNil())).isEqualTo(ValueFactory.newBoolean(true));
        assertThat(roundTrip(message)).isEqualTo(message);
    }

    @Test
    void keepsDuplicateKeysAndTheirOrder() throws EncodeException {
        byte[] message = packed(p -> p.packMapHeader(3).packString("k").packInt(1).packString("j").packInt(2)
                .packString("k").packInt(3));

        assertThat(roundTrip(message)).isEqualTo(message);
    }

    @Test
    void roundTripsContainersOfEveryHeaderWidth() throws IOException {
        for (int size : new int[] {15, 16, 65_535, 65_536}) {
            byte[] array = packed(p -> {
                p.packArrayHeader(size);
                for (int i = 0; i < size; i++) {
                    p.packInt(i & 0x7f);
                }
            });
            byte[] map = packed(p -> {
                p.packMapHeader(size);
                for (int i = 0; i < size; i++) {
                    p.packInt(i).packNil();
                }
            });
            MessagePackValueDecoder roomy = new MessagePackValueDecoder(new MessageSizePolicy("roomy", 1024,
                    1024 * 1024, 1024, 1024 * 1024, MessageSizePolicy.DEFAULT_COMPLETION_TIMEOUT,
                    new StructureLimits(64, 1_000_000, 1024)));

            assertThat(MessagePackValueEncoder.pack(roomy.decode(ByteBuffer.wrap(array)))).isEqualTo(array);
            assertThat(MessagePackValueEncoder.pack(roomy.decode(ByteBuffer.wrap(map)))).isEqualTo(map);
        }
    }

    @Test
    void packsAMillionNestedArraysWithoutStackOverflow() throws IOException {
        byte[] message = new byte[1_000_001];
        Arrays.fill(message, 0, 1_000_000, (byte) 0x91);
        message[1_000_000] = (byte) 0xc0;
        Value deep = new MessagePackReader(new StructureLimits(Integer.MAX_VALUE, Long.MAX_VALUE, 1), 2_000_000)
                .read(message);

        assertThat(MessagePackValueEncoder.pack(deep)).isEqualTo(message);
    }

    @Test
    void refusesToEncodeNullWithAnEncodeException() {
        assertThatThrownBy(() -> encoder.encode(null)).isInstanceOf(EncodeException.class);
    }

    @Test
    void packsAValueBuiltByTheApplication() throws EncodeException {
        Value value = ValueFactory.newMapBuilder().put(ValueFactory.newString("a"), ValueFactory.newFloat(1.0f))
                .build();

        ByteBuffer out = encoder.encode(value);

        // ValueFactory keeps floats as doubles: an application's float is float64.
        assertThat(HexFormat.of().formatHex(out.array())).isEqualTo("81a161cb3ff0000000000000");
    }
}
