package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.EncodeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizePolicies;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.ConfiguredPolicies;
import org.sizeguard.internal.DeployedApplication;

class MessagePackDecoderTest {

    public record Line(String sku, int quantity) {
    }

    public record Order(String id, long total, double weight, boolean gift, String note, List<Line> lines,
            Map<String, Integer> stock, byte[] signature) {
    }

    /** A JavaBean, as JSON-B binds them. */
    public static class Customer {
        private String name;
        private List<String> emails;
        private Float rating;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<String> getEmails() {
            return emails;
        }

        public void setEmails(List<String> emails) {
            this.emails = emails;
        }

        public Float getRating() {
            return rating;
        }

        public void setRating(Float rating) {
            this.rating = rating;
        }
    }

    public static class OrderDecoder extends MessagePackDecoder<Order> {
        public OrderDecoder() {
        }

        OrderDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    public static class OrderEncoder extends MessagePackEncoder<Order> {
    }

    public static class CustomerDecoder extends MessagePackDecoder<Customer> {
    }

    public static class CustomerEncoder extends MessagePackEncoder<Customer> {
    }

    public static class LinesDecoder extends MessagePackDecoder<List<Line>> {
    }

    /** T is fixed one level further down. */
    public abstract static class AuditedDecoder<X> extends MessagePackDecoder<X> {
    }

    public static class AuditedLineDecoder extends AuditedDecoder<Line> {
    }

    @SuppressWarnings("rawtypes")
    public static class RawDecoder extends MessagePackDecoder {
    }

    private static final MessageSizePolicy SMALL = new MessageSizePolicy("small", 1024, 200, 1024, 200,
            Duration.ofSeconds(30), new StructureLimits(4, 20, 50));

    @AfterEach
    void forgetPolicies() {
        DeployedApplication.install((SizePolicies) null);
    }

    private interface Packing {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    private static ByteBuffer packed(Packing packing) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packing.pack(packer);
            return ByteBuffer.wrap(packer.toByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Order order() {
        return new Order("A-1 😀", 9_007_199_254_740_993L, 2.5, true, null,
                List.of(new Line("𝄞-sku", 3), new Line("ü", 1)), Map.of("blue", 7), new byte[] {0, 1, 2, (byte) 255});
    }

    @Test
    void roundTripsARecordThroughEncoderAndDecoder() throws EncodeException {
        Order order = order();

        ByteBuffer message = new OrderEncoder().encode(order);
        Order decoded = new OrderDecoder(SMALL).decode(message);

        assertThat(decoded).usingRecursiveComparison().isEqualTo(order);
        assertThat(decoded.id()).isEqualTo("A-1 😀");
        assertThat(decoded.lines().get(0).sku()).isEqualTo("𝄞-sku");
    }

    @Test
    void roundTripsAJavaBeanThroughEncoderAndDecoder() throws EncodeException {
        Customer customer = new Customer();
        customer.setName("Ada");
        customer.setEmails(List.of("ada@example.org", "a@example.org"));
        customer.setRating(4.5f);

        Customer decoded = new CustomerDecoder().decode(new CustomerEncoder().encode(customer));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(customer);
    }

    @Test
    void encodesAnObjectAsAMapWithStringKeysAndSmallestIntegers() throws EncodeException {
        Value value = new MessagePackValueDecoder(SMALL).decode(new OrderEncoder().encode(
                new Order("x", 5, 1.0, false, null, List.of(), Map.of(), null)));

        Map<Value, Value> map = value.asMapValue().map();
        assertThat(map.get(ValueFactory.newString("id"))).isEqualTo(ValueFactory.newString("x"));
        assertThat(map.get(ValueFactory.newString("total")).isIntegerValue()).isTrue();
        assertThat(map.get(ValueFactory.newString("weight")).isFloatValue()).isTrue();
        assertThat(map.get(ValueFactory.newString("lines")).asArrayValue().size()).isZero();
    }

    @Test
    void bindsBinaryValuesToByteArrays() {
        ByteBuffer message = packed(p -> p.packMapHeader(2).packString("id").packString("b")
                .packString("signature").packBinaryHeader(3).writePayload(new byte[] {9, 8, 7}));

        Order decoded = new OrderDecoder(SMALL).decode(message);

        assertThat(decoded.signature()).containsExactly(9, 8, 7);
        assertThat(decoded.id()).isEqualTo("b");
    }

    @Test
    void bindsIntoAParameterizedTypeArgument() {
        ByteBuffer message = packed(p -> p.packArrayHeader(1).packMapHeader(2).packString("sku").packString("s")
                .packString("quantity").packInt(2));

        List<Line> lines = new LinesDecoder().decode(message);

        assertThat(lines).containsExactly(new Line("s", 2));
    }

    @Test
    void findsTheTypeArgumentThroughAGenericSuperclass() {
        Line line = new AuditedLineDecoder().decode(packed(p -> p.packMapHeader(1).packString("sku").packString("z")));

        assertThat(line).isEqualTo(new Line("z", 0));
    }

    @Test
    void refusesToBeCreatedWithoutATypeArgument() {
        assertThatThrownBy(RawDecoder::new)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RawDecoder must extend MessagePackDecoder with a concrete type argument");
    }

    @Test
    void refusesAMapKeyThatIsNotAStringWith1007NamingTheType() {
        ByteBuffer message = packed(p -> p.packMapHeader(1).packInt(1).packString("x"));

        assertThatThrownBy(() -> new OrderDecoder(SMALL).decode(message))
                .isInstanceOfSatisfying(UndecodableMessageException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.NOT_CONSISTENT))
                .hasMessage("MessagePack could not be decoded as Order: a map key is an integer, not a string");
    }

    @Test
    void refusesAnExtensionValueWith1007() {
        ByteBuffer message = packed(p -> p.packMapHeader(1).packString("note").packExtensionTypeHeader((byte) 3, 1)
                .writePayload(new byte[] {1}));

        assertThatThrownBy(() -> new OrderDecoder(SMALL).decode(message))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessage("MessagePack could not be decoded as Order: an extension value (type 3) has no JSON-B form");
    }

    @Test
    void refusesAValueOfTheWrongTypeWith1007NamingTheType() {
        ByteBuffer message = packed(p -> p.packMapHeader(1).packString("total").packString("many"));

        assertThatThrownBy(() -> new OrderDecoder(SMALL).decode(message))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageStartingWith("MessagePack could not be decoded as Order: ");
    }

    @Test
    void refusesMalformedInputWith1007BeforeBinding() {
        assertThatThrownBy(() -> new OrderDecoder(SMALL).decode(ByteBuffer.wrap(new byte[] {(byte) 0xc1})))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessage("MessagePack could not be decoded: byte 0xc1 is never used");
    }

    @Test
    void checksThePolicysStructureLimitsBeforeBinding() {
        ByteBuffer deep = ByteBuffer.wrap(new byte[] {(byte) 0x91, (byte) 0x91, (byte) 0x91, (byte) 0x91,
            (byte) 0x91, (byte) 0xc0});

        assertThatThrownBy(() -> new OrderDecoder(SMALL).decode(deep))
                .isInstanceOfSatisfying(StructureTooBigException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.TOO_BIG))
                .hasMessage("MessagePack nesting exceeds 4 levels");
        assertThatThrownBy(() -> new OrderDecoder(SMALL).decode(packed(p -> p.packString("x".repeat(51)))))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack string of 51 bytes exceeds 50 bytes");
    }

    @Test
    void checksThePolicysBinaryMessageLimit() {
        assertThatThrownBy(() -> new OrderDecoder(SMALL).decode(ByteBuffer.allocate(201)))
                .isInstanceOf(MessageTooBigException.class)
                .hasMessage("binary message exceeds 200 bytes");
    }

    @Test
    void usesTheInjectedPolicyWhenCdiSetsIt() throws ReflectiveOperationException {
        OrderDecoder decoder = new OrderDecoder();
        Field field = MessagePackDecoder.class.getDeclaredField("policy");
        field.setAccessible(true);
        field.set(decoder, SMALL); // what CDI does before init
        decoder.init(null);

        assertThat(decoder.policy()).isSameAs(SMALL);
    }

    @Test
    void fallsBackToTheApplicationsDefaultPolicyWithoutInjection() {
        MessageSizePolicy applicationDefault = new MessageSizePolicy("default", 10, 20);
        DeployedApplication.install(ConfiguredPolicies.only(applicationDefault));

        OrderDecoder decoder = new OrderDecoder();
        decoder.init(null);

        assertThat(decoder.policy()).isSameAs(applicationDefault);
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(21))).hasMessage("binary message exceeds 20 bytes");
    }

    @Test
    void fallsBackToTheBuiltInDefaultsBeforeSizeguardIsInitialised() {
        OrderDecoder decoder = new OrderDecoder();

        assertThat(decoder.policy().maxBinaryBytes()).isEqualTo(MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES);
        assertThat(decoder.policy().structure()).isEqualTo(StructureLimits.DEFAULTS);
    }

    @Test
    void willDecodeEveryMessageSoThatDecodeGivesTheReason() {
        assertThat(new OrderDecoder(SMALL).willDecode(ByteBuffer.wrap(new byte[] {(byte) 0xc1}))).isTrue();
    }

    @Test
    void bindsNotANumberAndInfinitiesIntoDoubles() {
        ByteBuffer message = packed(p -> p.packMapHeader(1).packString("weight").packDouble(Double.NaN));

        assertThat(new OrderDecoder(SMALL).decode(message).weight()).isNaN();
        assertThat(Objects.requireNonNull(new OrderDecoder(SMALL).decode(
                packed(p -> p.packMapHeader(1).packString("weight").packFloat(Float.NEGATIVE_INFINITY)))).weight())
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void bindsAnUnsigned64BitIntegerAboveLongMaxAsANumber() {
        ByteBuffer message = packed(p -> p.packArrayHeader(1)
                .packBigInteger(new java.math.BigInteger("18446744073709551615")));

        class BigDecoder extends MessagePackDecoder<List<java.math.BigInteger>> {
        }
        assertThat(new BigDecoder().decode(message)).containsExactly(new java.math.BigInteger("18446744073709551615"));
    }

    @Test
    void keepsControlCharactersQuotesAndBackslashesInStrings() {
        String note = "a\"b\\c\nd\u0000e\u001ff\u2028";
        ByteBuffer message = packed(p -> p.packMapHeader(1).packString("note").packString(note));

        assertThat(new OrderDecoder(SMALL).decode(message).note()).isEqualTo(note);
    }
}
