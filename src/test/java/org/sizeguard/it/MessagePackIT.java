package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.sizeguard.it.endpoints.MessagePackOrders.Line;
import org.sizeguard.it.endpoints.MessagePackOrders.Order;
import org.sizeguard.it.endpoints.MessagePackOrders;
import org.sizeguard.testclient.JdkClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;

/**
 * The MessagePack decoders and encoders on the real server: values echoed byte for byte, structure limits from the
 * endpoint's policy (which reaches the decoder through CDI), lying headers refused with 1009, malformed input with
 * 1007, records bound by the server's JSON-B.
 */
@ExtendWith(ArquillianExtension.class)
class MessagePackIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private interface Packing {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    private static byte[] packed(Packing packing) throws IOException {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packing.pack(packer);
            return packer.toByteArray();
        }
    }

    private JdkClient values() {
        return JdkClient.connect(Deployments.ws(base, "it/msgpack-values"));
    }

    private static Close closeOf(JdkClient client) throws Exception {
        return client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void echoesAValueByteForByte() throws Exception {
        byte[] message = packed(p -> p.packMapHeader(5)
                .packString("😀").packFloat(1.5f)
                .packInt(-129).packLong(1L << 40)
                .packNil().packBinaryHeader(3).writePayload(new byte[] {1, 2, 3})
                .packBoolean(true).packExtensionTypeHeader((byte) 9, 2).writePayload(new byte[] {4, 5})
                .packString("nested").packArrayHeader(2).packDouble(0.1).packMapHeader(0));
        try (JdkClient client = values()) {
            client.sendBinary(message).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat((byte[]) client.nextMessage(WAIT)).isEqualTo(message);
        }
    }

    @Test
    void echoesAValueOnTheWarsOwnEndpoint() throws Exception {
        byte[] message = packed(p -> p.packArrayHeader(3).packString("caf\u00e9").packInt(42).packBoolean(false));
        try (JdkClient client = JdkClient.connect(Deployments.ws(base, "msgpack"))) {
            client.sendBinary(message).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat((byte[]) client.nextMessage(WAIT)).isEqualTo(message);
        }
    }

    @Test
    void closesWith1009WhenNestingExceedsTheEndpointsPolicyInjectedIntoTheDecoder() throws Exception {
        byte[] nineLevels = new byte[10];
        Arrays.fill(nineLevels, 0, 9, (byte) 0x91);
        nineLevels[9] = (byte) 0xc0;
        try (JdkClient client = values()) {
            client.sendBinary(Arrays.copyOfRange(nineLevels, 1, 10)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat((byte[]) client.nextMessage(WAIT)).hasSize(9); // eight levels pass

            client.sendBinary(nineLevels);

            assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "MessagePack nesting exceeds 8 levels");
        }
    }

    @Test
    void closesWith1009WhenAHeaderDeclares2Pow32Minus1Elements() throws Exception {
        try (JdkClient client = values()) {
            client.sendBinary(new byte[] {(byte) 0xdd, -1, -1, -1, -1, 1, 2, 3, 4, 5});

            assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "MessagePack array of 4294967295 elements exceeds 100 elements");
        }
    }

    @Test
    void closesWith1007WhenTheMessageIsNotMessagePack() throws Exception {
        try (JdkClient client = values()) {
            client.sendBinary(new byte[] {(byte) 0xc1});

            Close close = closeOf(client);
            assertThat(close.code()).isEqualTo(1007);
            assertThat(close.reason()).isEqualTo("MessagePack could not be decoded: byte 0xc1 is never used");
        }
    }

    @Test
    void bindsARecordWithTheServersJsonbAndEncodesTheAnswer() throws Exception {
        Order order = new Order("A-😀", List.of(new Line("sku-1", 2, 150), new Line("sku-2", 1, 99)),
                new byte[] {7, 8}, 0);
        ByteBuffer message = new MessagePackOrders.OrderEncoder().encode(order);
        try (JdkClient client = JdkClient.connect(Deployments.ws(base, "it/msgpack-orders"))) {
            client.sendBinary(Arrays.copyOfRange(message.array(), message.position(), message.limit()))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Order answer = new MessagePackOrders.OrderDecoder().decode(ByteBuffer.wrap((byte[]) client.nextMessage(WAIT)));

            assertThat(answer.id()).isEqualTo("A-😀");
            assertThat(answer.total()).isEqualTo(399);
            assertThat(answer.note()).containsExactly(7, 8);
        }
    }

    @Test
    void closesWith1007WhenAMapKeyIsNotAString() throws Exception {
        try (JdkClient client = JdkClient.connect(Deployments.ws(base, "it/msgpack-orders"))) {
            client.sendBinary(packed(p -> p.packMapHeader(1).packInt(1).packInt(2)));

            assertThat(closeOf(client)).extracting(Close::code, Close::reason).containsExactly(1007,
                    "MessagePack could not be decoded as Order: a map key is an integer, not a string");
        }
    }
}
