package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * The catalogue of bad inputs (the table in docs/protection.md): each case is what a client sends or withholds, on a
 * raw socket, and the close code the server answers with on each server. After every case a fresh session on
 * {@code /echo} works, {@code /stats} shows nothing held, and a client that merely left is not counted as a rejection.
 * <p>
 * {@link #NO_CLOSE} marks a case where the client leaves before any answer could reach it. {@link #UNDERTOW} marks a
 * framing violation on WildFly, where Undertow parses frames itself and Sizeguard cannot see them: what Undertow
 * answers is recorded in the test output, and only the aftermath is checked (docs/protection.md, known limits).
 */
@ExtendWith(ArquillianExtension.class)
class BadInputCatalogueIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final boolean PAYARA = "payara-micro".equals(System.getProperty("arquillian.launch"));

    /** The client disconnects; there is no close code to expect. */
    static final int NO_CLOSE = -1;
    /** WildFly only: Undertow's own answer to a framing violation, recorded rather than asserted. */
    static final int UNDERTOW = -2;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    /** What a case's client does on its connection. */
    @FunctionalInterface
    interface Script {
        void run(RawWebSocketClient client) throws IOException, InterruptedException;
    }

    private static Arguments bad(String name, String path, int payara, int wildfly, Script script) {
        return Arguments.of(name, path, payara, wildfly, script);
    }

    /** A framing violation: 1002 from the relay on Payara, Undertow's own answer on WildFly. */
    private static Arguments framing(String name, byte[] bytes) {
        return bad(name, "echo", 1002, UNDERTOW, client -> client.sendRaw(bytes));
    }

    private static Arguments left(String name, String path, Script script) {
        return bad(name, path, NO_CLOSE, NO_CLOSE, client -> {
            script.run(client);
            client.close();
        });
    }

    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
        frame.put((byte) ((fin ? 0x80 : 0) | rsv << 4 | opcode));
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.put((byte) (mask | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) (mask | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (mask | 127)).putLong(payload.length);
        }
        byte[] key = {0x0A, 0x0B, 0x0C, 0x0D};
        if (masked) {
            frame.put(key);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (masked ? payload[i] ^ key[i & 3] : payload[i]));
        }
        return Arrays.copyOf(frame.array(), frame.position());
    }

    static byte[] masked(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload, true);
    }

    static byte[] close(int code) {
        return masked(true, 0x8, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        Arrays.stream(parts).forEach(all::put);
        return all.array();
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> catalogue() {
        byte[] x = utf8("x");
        return Stream.of(
                // Framing (RFC 6455 §5)
                framing("unmasked text frame", frame(true, 0, 0x1, x, false)),
                framing("unmasked ping, then a masked frame", concat(frame(true, 0, 0x9, new byte[0], false),
                        masked(true, 0x1, x))),
                framing("RSV1 on a text frame", frame(true, 4, 0x1, x, true)),
                framing("RSV2 on a binary frame", frame(true, 2, 0x2, x, true)),
                framing("RSV3 on a ping", frame(true, 1, 0x9, x, true)),
                framing("reserved data opcode 0x3", masked(true, 0x3, x)),
                framing("reserved data opcode 0x7", masked(true, 0x7, x)),
                framing("reserved control opcode 0xB", masked(true, 0xB, x)),
                framing("reserved control opcode 0xF", masked(true, 0xF, x)),
                framing("fragmented ping", masked(false, 0x9, x)),
                framing("fragmented close", masked(false, 0x8, bytes(0x03, 0xE8))),
                framing("ping of 126 bytes", masked(true, 0x9, new byte[126])),
                framing("continuation without a message", masked(true, 0x0, x)),
                framing("text frame inside a fragmented text message", concat(masked(false, 0x1, x),
                        masked(true, 0x1, x))),
                framing("binary frame inside a fragmented text message", concat(masked(false, 0x1, x),
                        masked(true, 0x2, x))),
                framing("close frame with a 1-byte payload", masked(true, 0x8, bytes(0x03))),
                framing("close code 999", close(999)),
                framing("close code 1005", close(1005)),
                framing("close code 1006", close(1006)),
                framing("close code 1015", close(1015)),
                framing("close code 2999", close(2999)),
                framing("64-bit length with its top bit set", concat(bytes(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0),
                        bytes(1, 2, 3, 4))),
                // Size (1009)
                bad("text of 65,537 bytes in one frame", "echo", 1009, 1009,
                        client -> client.sendText("t".repeat(65_537))),
                bad("text of 65,537 bytes in 16 KiB fragments", "echo", 1009, 1009, client -> {
                    for (int sent = 0; sent < 65_537; sent += 16_384) {
                        int n = Math.min(16_384, 65_537 - sent);
                        client.sendFrame(sent + n == 65_537, sent == 0 ? 0x1 : 0x0, n, PayloadSource.repeating((byte) 'f'));
                    }
                }),
                bad("21,846 euro signs (65,538 UTF-8 bytes)", "echo", 1009, 1009,
                        client -> client.sendText("€".repeat(21_846))),
                bad("binary of 1 MiB + 1 in one frame", "echo", 1009, 1009,
                        client -> client.sendBinary(new byte[1_048_577])),
                bad("binary frame declaring 2 GiB", "echo", 1009, 1009,
                        client -> client.sendFrame(true, 0x2, 2L << 30, PayloadSource.repeating((byte) 0))),
                bad("text of 101 bytes under a 100-byte policy", "it/named", 1009, 1009,
                        client -> client.sendText("n".repeat(101))),
                bad("binary of 201 bytes under a 200-byte policy", "it/named", 1009, 1009,
                        client -> client.sendBinary(new byte[201])),
                // UTF-8 (1007, the containers' own check)
                bad("invalid UTF-8 byte 0xFF in text", "echo", 1007, 1007,
                        client -> client.sendRaw(masked(true, 0x1, bytes('a', 0xFF, 'b')))),
                bad("UTF-8 sequence cut at the end of the message", "echo", 1007, 1007,
                        client -> client.sendRaw(masked(true, 0x1, bytes('a', 0xE2, 0x82)))),
                bad("overlong UTF-8 encoding", "echo", 1007, 1007,
                        client -> client.sendRaw(masked(true, 0x1, bytes(0xC0, 0xAF)))),
                bad("UTF-8-encoded surrogate", "echo", 1007, 1007,
                        client -> client.sendRaw(masked(true, 0x1, bytes(0xED, 0xA0, 0x80)))),
                // Decoders
                bad("malformed JSON", "json", 1007, 1007, client -> client.sendText("{\"a\" 1}")),
                bad("empty JSON message", "json", 1007, 1007, client -> client.sendText("")),
                bad("JSON nested 65 levels", "json", 1009, 1009,
                        client -> client.sendText("{\"a\":" + "[".repeat(65) + "]".repeat(65) + "}")),
                bad("JSON number exponent bomb", "json", 1009, 1009, client -> client.sendText("{\"n\":1e999999999}")),
                bad("truncated MessagePack", "msgpack", 1007, 1007, client -> client.sendBinary(bytes(0x92, 0x01))),
                bad("MessagePack array declaring 2^32-1 elements", "msgpack", 1009, 1009,
                        client -> client.sendBinary(bytes(0xDD, 0xFF, 0xFF, 0xFF, 0xFF))),
                bad("MessagePack never-used byte 0xC1", "msgpack", 1007, 1007, client -> client.sendBinary(bytes(0xC1))),
                // Deadlines (1008; the test web.xml gives messages 3 s)
                bad("a first fragment and then nothing", "echo", 1008, 1008,
                        client -> client.sendFrame(false, 0x1, 10, PayloadSource.repeating((byte) 'w'))),
                bad("a frame header and half its payload", "echo", 1008, 1008,
                        client -> client.trickle(true, 0x2, 1000, PayloadSource.repeating((byte) 'h'), 500,
                                Duration.ofSeconds(10))),
                bad("a JSON message started and never finished", "json", 1008, 1008,
                        client -> client.sendFrame(false, 0x1, 5, PayloadSource.of(utf8("{\"a\":")))),
                // Disconnects at every stage: nothing held, nothing reported
                left("disconnect right after the handshake", "echo", client -> { }),
                left("disconnect inside a frame header", "echo", client -> client.sendRaw(bytes(0x81))),
                left("disconnect inside a payload", "echo",
                        client -> client.sendRaw(Arrays.copyOf(masked(true, 0x1, utf8("half a message")), 10))),
                left("disconnect between fragments", "echo",
                        client -> client.sendFrame(false, 0x1, 1000, PayloadSource.repeating((byte) 'd'))),
                left("disconnect while a JSON stream is read", "json",
                        client -> client.sendFrame(false, 0x1, 5, PayloadSource.of(utf8("{\"a\":")))),
                left("disconnect in the middle of an upload", "upload",
                        client -> client.sendFrame(false, 0x2, 100_000, PayloadSource.repeating((byte) 'u'))),
                left("disconnect inside a close frame", "echo",
                        client -> client.sendRaw(Arrays.copyOf(close(1000), 4))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void answersEachBadInputWithItsCodeAndLeavesNothingBehind(String name, String path, int payara, int wildfly,
            Script script) throws Exception {
        int expected = PAYARA ? payara : wildfly;
        long rejectionsBefore = rejections();
        RawWebSocketClient client = RawWebSocketClient.connect(ws(path));
        try {
            try {
                script.run(client);
            } catch (IOException closedByServer) {
                // The server closed the connection while the client was still writing: the answer follows.
            }
            if (expected >= 0) {
                Close close = client.awaitClose(WAIT);
                assertThat(close.code()).as("close code").isEqualTo(expected);
                assertThat(close.reasonBytes()).as("reason bytes").isBetween(0, 123);
            } else if (expected == UNDERTOW) {
                System.out.println("[catalogue] WildFly answered \"" + name + "\" with " + undertowsAnswer(client));
            }
        } finally {
            client.close();
        }

        try (RawWebSocketClient fresh = RawWebSocketClient.connect(ws("echo"))) {
            fresh.sendText("fresh");
            assertThat(fresh.nextMessage(WAIT).text()).isEqualTo("fresh");
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(get("stats")).contains("\"openSessions\":0", "\"messagesInProgress\":0",
                        "\"bufferedBytes\":0", "\"activeStreams\":0", "\"queuedSends\":0"));
        if (expected == NO_CLOSE) {
            assertThat(rejections()).as("a client that left is not a rejection").isEqualTo(rejectionsBefore);
        }
    }

    private static String undertowsAnswer(RawWebSocketClient client) throws InterruptedException {
        try {
            Close close = client.closeFuture().get(5, TimeUnit.SECONDS);
            return close.code() + " \"" + close.reason() + "\"";
        } catch (ExecutionException dropped) {
            return "a dropped connection";
        } catch (TimeoutException silent) {
            return "nothing within 5 s";
        }
    }

    private URI ws(String path) {
        return Deployments.ws(base, path);
    }

    private long rejections() throws Exception {
        return get("it/rejections").lines().count();
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(Deployments.http(base, path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
