package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.DeflatedMessages;
import org.sizeguard.testclient.RawWebSocketClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.Message;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;

/**
 * permessage-deflate (RFC 7692) on the real server, with a client that compresses on a raw socket: negotiation and
 * its parameters, compressed echo intact in one frame and in many fragments (replies compressed too), the limit
 * counted in inflated bytes (exactly the limit passes, one more byte is 1009), bombs of 64 MiB of text and 256 MiB of
 * binary refused with 1009, sixteen at once with nothing held afterwards, invalid deflate data 1007, reserved bits
 * that were not negotiated 1002, a policy that switches it off.
 * <p>
 * On WildFly the Undertow adapter negotiates and inflates; on Payara the Tyrus adapter's frame relay inflates and its
 * relayed connection compresses replies of at least 128 bytes (Undertow compresses every reply).
 */
@ExtendWith(ArquillianExtension.class)
class PermessageDeflateIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final boolean PAYARA = "payara-micro".equals(System.getProperty("arquillian.launch"));
    private static final String OFFER = "permessage-deflate; client_max_window_bits";
    private static final int RSV1 = DeflatedMessages.RSV1;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private URI ws(String path) {
        return Deployments.ws(base, path);
    }

    private RawWebSocketClient compressing(String path) throws IOException {
        RawWebSocketClient client = RawWebSocketClient.connectOffering(ws(path), OFFER);
        assertThat(client.negotiatedExtensions()).startsWith("permessage-deflate");
        return client;
    }

    private static byte[] compressed(byte[] message) {
        return DeflatedMessages.compressed(message, Deflater.BEST_COMPRESSION);
    }

    private static byte[] inflated(Message message) throws DataFormatException {
        assertThat(message.compressed()).as("the reply is compressed").isTrue();
        return DeflatedMessages.inflated(message.payload());
    }

    /** A reply's text, compressed or not (Payara leaves replies below 128 bytes uncompressed). */
    private static String text(Message message) throws DataFormatException {
        byte[] bytes = message.compressed() ? DeflatedMessages.inflated(message.payload()) : message.payload();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** One compressed message in one frame. */
    private static void sendCompressed(RawWebSocketClient client, int opcode, byte[] compressed) throws IOException {
        client.sendFrame(true, RSV1, opcode, compressed.length, PayloadSource.of(compressed));
    }

    /**
     * One compressed message in fragments of {@code size} bytes: RSV1 on the first only (RFC 7692 6.1). Stops once the
     * server has closed: a server that refuses the message early may end the connection while fragments are still on
     * their way, and a write then fails; the caller asserts the close.
     */
    private static void sendCompressedInFragments(RawWebSocketClient client, int opcode, byte[] compressed, int size)
            throws Exception {
        for (int offset = 0; offset < compressed.length && !client.closeFuture().isDone(); offset += size) {
            byte[] fragment = Arrays.copyOfRange(compressed, offset, Math.min(compressed.length, offset + size));
            boolean first = offset == 0;
            boolean last = offset + size >= compressed.length;
            try {
                client.sendFrame(last, first ? RSV1 : 0, first ? opcode : RawWebSocketClient.CONTINUATION,
                        fragment.length, PayloadSource.of(fragment));
            } catch (IOException refusedMidway) {
                // Only a server that has sent its close frame may cut the writes short.
                client.closeFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                return;
            }
        }
    }

    private String stats() throws Exception {
        return Deployments.get(base, "stats");
    }

    @Test
    void negotiatesWithoutContextTakeoverWhereThePolicyAllowsIt() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connectOffering(ws("echo"), OFFER);
                RawWebSocketClient off = RawWebSocketClient.connectOffering(ws("it/uncompressed"), OFFER)) {
            assertThat(client.negotiatedExtensions().replace(" ", ""))
                    .isEqualTo("permessage-deflate;server_no_context_takeover;client_no_context_takeover");
            assertThat(off.negotiatedExtensions()).as("the policy switches it off").isEmpty();
        }
    }

    @Test
    void declinesAnOfferItCannotHonourAndTakesTheNextOne() throws Exception {
        try (RawWebSocketClient smallWindow = RawWebSocketClient.connectOffering(ws("echo"),
                "permessage-deflate; server_max_window_bits=10");
                RawWebSocketClient unknown = RawWebSocketClient.connectOffering(ws("echo"),
                        "permessage-deflate; mystery_parameter");
                RawWebSocketClient fallback = RawWebSocketClient.connectOffering(ws("echo"),
                        "permessage-deflate; server_max_window_bits=10, permessage-deflate")) {
            assertThat(smallWindow.negotiatedExtensions()).isEmpty();
            assertThat(unknown.negotiatedExtensions()).isEmpty();
            assertThat(fallback.negotiatedExtensions()).startsWith("permessage-deflate")
                    .doesNotContain("server_max_window_bits");
        }
    }

    @Test
    void echoesCompressedTextAndBinaryIntactInOneFrameAndInManyFragments() throws Exception {
        String text = "caf\u00e9 😀 message size is a policy; ".repeat(1500); // 55,500 UTF-8 bytes
        byte[] binary = new byte[200_000];
        new Random(7).nextBytes(binary);
        try (RawWebSocketClient client = compressing("echo")) {
            sendCompressed(client, RawWebSocketClient.TEXT, compressed(text.getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(inflated(client.nextMessage(WAIT)), StandardCharsets.UTF_8)).isEqualTo(text);

            sendCompressedInFragments(client, RawWebSocketClient.TEXT, compressed(text.getBytes(StandardCharsets.UTF_8)),
                    7);
            assertThat(new String(inflated(client.nextMessage(WAIT)), StandardCharsets.UTF_8)).isEqualTo(text);

            sendCompressedInFragments(client, RawWebSocketClient.BINARY, compressed(binary), 16 * 1024);
            assertThat(inflated(client.nextMessage(WAIT))).isEqualTo(binary);

            String plain = "not compressed, but long enough for a compressed reply. ".repeat(4);
            client.sendText(plain);
            assertThat(new String(inflated(client.nextMessage(WAIT)), StandardCharsets.UTF_8)).isEqualTo(plain);

            client.sendText("short");
            Message shortReply = client.nextMessage(WAIT);
            assertThat(text(shortReply)).isEqualTo("short");
            if (PAYARA) {
                assertThat(shortReply.compressed()).as("below the threshold of 128 bytes").isFalse();
            }
        }
    }

    @Test
    void refusesRsv1OnAContinuationFrameWith1002() throws Exception {
        assumeTrue(PAYARA, "WildFly: Undertow does not show an extension the RSV bits of continuation frames");
        try (RawWebSocketClient client = compressing("echo")) {
            byte[] data = compressed("hello, fragments".getBytes(StandardCharsets.UTF_8));
            client.sendFrame(false, RSV1, RawWebSocketClient.TEXT, 4, PayloadSource.of(Arrays.copyOf(data, 4)));
            byte[] rest = Arrays.copyOfRange(data, 4, data.length);
            client.sendFrame(true, RSV1, RawWebSocketClient.CONTINUATION, rest.length, PayloadSource.of(rest));

            assertThat(client.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                    .containsExactly(1002, "RSV1 set on a continuation frame (RFC 7692 6)");
        }
    }

    @Test
    void countsInflatedBytesExactlyTheLimitAcceptedAndOneMoreRefused() throws Exception {
        byte[] exactly = new byte[65536];
        Arrays.fill(exactly, (byte) 'a');
        try (RawWebSocketClient client = compressing("echo")) {
            sendCompressed(client, RawWebSocketClient.TEXT, compressed(exactly));
            assertThat(inflated(client.nextMessage(WAIT))).isEqualTo(exactly);

            sendCompressed(client, RawWebSocketClient.TEXT, compressed(Arrays.copyOf(exactly, 65537)));

            Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo("text message exceeds 65536 bytes");
        }
    }

    @Test
    void refusesA64MiBTextBombAndA256MiBBinaryBombWith1009() throws Exception {
        try (RawWebSocketClient text = compressing("echo"); RawWebSocketClient binary = compressing("echo")) {
            sendCompressedInFragments(text, RawWebSocketClient.TEXT, DeflatedMessages.compressedRun(64L << 20, (byte) 'a'), 16 * 1024);
            sendCompressed(binary, RawWebSocketClient.BINARY, DeflatedMessages.compressedRun(256L << 20, (byte) 0));

            assertThat(text.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "text message exceeds 65536 bytes");
            assertThat(binary.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "binary message exceeds 1048576 bytes");
        }
    }

    @Test
    void refusesSixteenBombsAtOnceHoldsNothingAfterwardsAndServesAFreshSession() throws Exception {
        byte[] bomb = DeflatedMessages.compressedRun(256L << 20, (byte) 0);
        List<RawWebSocketClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                clients.add(compressing("echo"));
            }
            for (RawWebSocketClient client : clients) {
                sendCompressed(client, RawWebSocketClient.BINARY, bomb);
            }
            for (RawWebSocketClient client : clients) {
                assertThat(client.awaitClose(WAIT).code()).isEqualTo(1009);
            }
        } finally {
            for (RawWebSocketClient client : clients) {
                client.close();
            }
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(stats()).contains("\"bufferedBytes\":0"));
        try (RawWebSocketClient fresh = compressing("echo")) {
            sendCompressed(fresh, RawWebSocketClient.TEXT, compressed("after".getBytes(StandardCharsets.UTF_8)));

            assertThat(text(fresh.nextMessage(WAIT))).isEqualTo("after");
        }
    }

    @Test
    void closesWith1007ForInvalidDeflateDataAnd1002ForReservedBitsNotNegotiated() throws Exception {
        try (RawWebSocketClient invalid = compressing("echo"); RawWebSocketClient rsv2 = compressing("echo")) {
            byte[] notDeflate = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
            sendCompressed(invalid, RawWebSocketClient.BINARY, notDeflate);
            rsv2.sendFrame(true, RSV1 | 2, RawWebSocketClient.TEXT, 1, PayloadSource.of(new byte[] {'x'}));

            assertThat(invalid.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                    .containsExactly(1007, "compressed message is not valid deflate data");
            assertThat(rsv2.awaitClose(WAIT).code()).isEqualTo(1002);
        }
    }

    @Test
    void refusesRsv1With1002WhereItWasNotNegotiated() throws Exception {
        try (RawWebSocketClient off = RawWebSocketClient.connectOffering(ws("it/uncompressed"), OFFER)) {
            byte[] data = compressed("hello".getBytes(StandardCharsets.UTF_8));
            sendCompressed(off, RawWebSocketClient.TEXT, data);

            assertThat(off.awaitClose(WAIT).code()).isEqualTo(1002);
        }
    }
}
