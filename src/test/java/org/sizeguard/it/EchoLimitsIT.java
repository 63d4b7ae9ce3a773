package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sizeguard.testclient.JdkClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * {@code /sizeguard/echo} under the default policy (64 KiB text, 1 MiB binary) on the real server, with the
 * JDK client (text in 16 KiB frames, binary in one frame) and a raw frame writer (any layout).
 */
@ExtendWith(ArquillianExtension.class)
class EchoLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TEXT_TOO_BIG = "text message exceeds 65536 bytes";
    private static final String BINARY_TOO_BIG = "binary message exceeds 1048576 bytes";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private URI echo() {
        return Deployments.ws(base, "echo");
    }

    @Test
    void echoesTextOfExactlyTheLimit() throws Exception {
        String text = "x".repeat(65_536);
        try (JdkClient client = JdkClient.connect(echo())) {
            client.sendText(text);

            assertThat(client.nextMessage(WAIT)).isEqualTo(text);
        }
    }

    @Test
    void closesWith1009WhenTextExceedsLimitByOneByteInSmallFrames() throws Exception {
        try (JdkClient client = JdkClient.connect(echo())) {
            client.sendText("x".repeat(65_537));

            Close close = client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo(TEXT_TOO_BIG);
        }
    }

    @Test
    void closesWith1009WhenTextExceedsLimitByOneByteInOneFrame() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(echo())) {
            client.sendText("x".repeat(65_537));

            assertThat(client.awaitClose(WAIT)).isEqualTo(new Close(1009, TEXT_TOO_BIG, TEXT_TOO_BIG.length()));
            assertThat(client.nextMessage(Duration.ZERO)).isNull();
        }
    }

    @Test
    void countsTextInUtf8BytesSo21846EuroSignsExceed64KiB() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(echo())) {
            client.sendText("€".repeat(21_845) + "a");
            assertThat(client.nextMessage(WAIT).text()).isEqualTo("€".repeat(21_845) + "a");

            client.sendText("€".repeat(21_846));
            assertThat(client.awaitClose(WAIT).code()).isEqualTo(1009);
        }
    }

    @Test
    void acceptsAFourByteCharacterEndingExactlyAtTheLimitAndRejectsOneThatCrossesIt() throws Exception {
        String fits = "a".repeat(65_532) + "\uD83D\uDE00";
        String crosses = "a".repeat(65_533) + "\uD83D\uDE00";
        try (RawWebSocketClient client = RawWebSocketClient.connect(echo())) {
            client.sendText(fits);
            assertThat(client.nextMessage(WAIT).text()).isEqualTo(fits);

            client.sendText(crosses);
            assertThat(client.awaitClose(WAIT).reason()).isEqualTo(TEXT_TOO_BIG);
        }
    }

    @Test
    void echoesBinaryOfExactlyTheLimitAndClosesWith1009OneByteOver() throws Exception {
        byte[] atLimit = new byte[1_048_576];
        Arrays.fill(atLimit, (byte) 7);
        try (JdkClient client = JdkClient.connect(echo())) {
            client.sendBinary(atLimit).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat((byte[]) client.nextMessage(WAIT)).isEqualTo(atLimit);

            client.sendBinary(new byte[1_048_577]);
            Close close = client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo(BINARY_TOO_BIG);
        }
    }

    @ParameterizedTest(name = "{0} bytes of opcode {1} in one frame")
    @CsvSource({
        "8388608, 1, " + TEXT_TOO_BIG,
        "8388608, 2, " + BINARY_TOO_BIG,
        "67108864, 1, " + TEXT_TOO_BIG,
        "67108864, 2, " + BINARY_TOO_BIG,
    })
    void closesWith1009ForAHugeMessageInOneFrame(long size, int opcode, String reason) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(echo())) {
            sendUntilClosed(client, () -> client.sendFrame(true, opcode, size, PayloadSource.repeating((byte) 'h')));

            assertThat(client.awaitClose(Duration.ofSeconds(90)).reason()).isEqualTo(reason);
        }
    }

    @ParameterizedTest(name = "{0} bytes of opcode {1} in {2}-byte frames")
    @CsvSource({
        "8388608, 1, 16384, " + TEXT_TOO_BIG,
        "8388608, 2, 16384, " + BINARY_TOO_BIG,
        "67108864, 1, 65536, " + TEXT_TOO_BIG,
        "67108864, 2, 65536, " + BINARY_TOO_BIG,
    })
    void closesWith1009ForAHugeMessageInManySmallFrames(long size, int opcode, int frameSize, String reason)
            throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(echo())) {
            sendUntilClosed(client, () -> {
                PayloadSource bytes = PayloadSource.repeating((byte) 'f');
                for (long sent = 0; sent < size; sent += frameSize) {
                    boolean last = sent + frameSize >= size;
                    client.sendFrame(last, sent == 0 ? opcode : RawWebSocketClient.CONTINUATION, frameSize, bytes);
                }
            });

            assertThat(client.awaitClose(Duration.ofSeconds(90)).reason()).isEqualTo(reason);
        }
    }

    @Test
    void leavesOtherSessionsWorkingAndAcceptsNewOnesAfterARejection() throws Exception {
        try (JdkClient bystander = JdkClient.connect(echo())) {
            bystander.sendText("before");
            assertThat(bystander.nextMessage(WAIT)).isEqualTo("before");

            try (RawWebSocketClient offender = RawWebSocketClient.connect(echo())) {
                sendUntilClosed(offender, () -> offender.sendFrame(true, RawWebSocketClient.BINARY, 8L << 20,
                        PayloadSource.repeating((byte) 'o')));
                assertThat(offender.awaitClose(WAIT).code()).isEqualTo(1009);
            }

            bystander.sendText("after");
            assertThat(bystander.nextMessage(WAIT)).isEqualTo("after");
        }
        try (JdkClient newcomer = JdkClient.connect(echo())) {
            newcomer.sendText("new");
            assertThat(newcomer.nextMessage(WAIT)).isEqualTo("new");
        }
    }

    @Test
    void firesTheCdiEventForEachRejection() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(echo())) {
            client.sendText("e".repeat(70_000));
            assertThat(client.awaitClose(WAIT).code()).isEqualTo(1009);
        }

        String observed = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(Deployments.http(base, "it/rejections")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();

        assertThat(observed.lines()).contains("/echo TEXT 65536 70000 1009 " + TEXT_TOO_BIG);
    }

    /** Runs {@code sending}; a server that closes mid-message makes the write fail, which is expected here. */
    private static void sendUntilClosed(RawWebSocketClient client, Sending sending) {
        try {
            sending.run();
        } catch (java.io.IOException closedByServer) {
            assertThat(client.payloadBytesWritten()).isPositive();
        }
    }

    @FunctionalInterface
    private interface Sending {
        void run() throws java.io.IOException;
    }
}
