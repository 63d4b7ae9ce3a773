package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * Reading no further than the limit, streams with a total cap, uploads, completion deadlines and the state left
 * behind, on the real server with a raw frame writer. The test web.xml sets a 3 s completion timeout and caps the
 * upload policy at 257 MiB.
 */
@ExtendWith(ArquillianExtension.class)
class StreamingLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long READ_AHEAD = 64 * 1024;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private URI ws(String path) {
        return Deployments.ws(base, path);
    }

    @ParameterizedTest(name = "opcode {0} declaring {1} bytes")
    @CsvSource({
        "1, 1048576, 65536, text message exceeds 65536 bytes",
        "1, 67108864, 65536, text message exceeds 65536 bytes",
        "1, 2147483648, 65536, text message exceeds 65536 bytes",
        "2, 67108864, 1048576, binary message exceeds 1048576 bytes",
        "2, 2147483648, 1048576, binary message exceeds 1048576 bytes",
    })
    void closesWith1009BeforeReadingMoreThanTheLimitPlus64KiBOfATrickledFrame(int opcode, long declared, long limit,
            String reason) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("echo"))) {
            long written = client.trickle(true, opcode, declared, PayloadSource.repeating((byte) 't'), 16 * 1024,
                    Duration.ofMillis(20));

            Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo(reason);
            assertThat(written).isLessThanOrEqualTo(limit + READ_AHEAD);
        }
    }

    @Test
    void uploads256MiBInOneFrameAndAnswersWithItsSha256() throws Exception {
        long size = 256L << 20;
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("upload"))) {
            client.sendFrame(true, RawWebSocketClient.BINARY, size, PayloadSource.pattern());

            assertThat(client.nextMessage(WAIT).text())
                    .isEqualTo("{\"bytes\":" + size + ",\"sha256\":\"" + PayloadSource.pattern().sha256(size) + "\"}");
        }
    }

    @Test
    void uploadsInManyFramesAndAnswersEachMessage() throws Exception {
        long size = 64L << 20;
        int frame = 1 << 20;
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("upload"))) {
            for (int message = 0; message < 2; message++) {
                PayloadSource source = PayloadSource.pattern();
                for (long sent = 0; sent < size; sent += frame) {
                    long at = sent;
                    client.sendFrame(sent + frame >= size, sent == 0 ? RawWebSocketClient.BINARY
                            : RawWebSocketClient.CONTINUATION, frame, (o, chunk, n) -> source.fill(at + o, chunk, n));
                }
                assertThat(client.nextMessage(WAIT).text()).isEqualTo(
                        "{\"bytes\":" + size + ",\"sha256\":\"" + PayloadSource.pattern().sha256(size) + "\"}");
            }
        }
    }

    @Test
    void closesWith1009WhenAnUploadInManyFramesExceedsItsCap() throws Exception {
        long cap = 257L << 20;
        int frame = 1 << 20;
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("upload"))) {
            try {
                for (long sent = 0; sent <= cap; sent += frame) {
                    client.sendFrame(false, sent == 0 ? RawWebSocketClient.BINARY : RawWebSocketClient.CONTINUATION,
                            frame, PayloadSource.repeating((byte) 'u'));
                }
            } catch (IOException closedByServer) {
                assertThat(client.payloadBytesWritten()).isGreaterThan(cap - 16L * frame);
            }

            assertThat(client.awaitClose(WAIT).reason()).isEqualTo("binary message exceeds " + cap + " bytes");
        }
    }

    @Test
    void closesWith1009WhenAnUploadFrameDeclaresMoreThanTheCap() throws Exception {
        long cap = 257L << 20;
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("upload"))) {
            long written = client.trickle(true, RawWebSocketClient.BINARY, 1L << 30, cap - (1 << 20),
                    PayloadSource.repeating((byte) 'u'), 16 * 1024, Duration.ofMillis(20));

            assertThat(client.awaitClose(WAIT).reason()).isEqualTo("binary message exceeds " + cap + " bytes");
            assertThat(written).isLessThanOrEqualTo(cap + READ_AHEAD);
        }
    }

    @Test
    void closesWith1008WhenTheNextFragmentNeverComes() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("echo"))) {
            long start = System.nanoTime();
            client.sendFrame(false, RawWebSocketClient.TEXT, 100, PayloadSource.repeating((byte) 's'));

            Close close = client.awaitClose(Duration.ofSeconds(3 + 2));
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).isEqualTo("text message not completed within 3000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        }
    }

    @Test
    void closesWith1008WhenAMessageTricklesTooSlowlyToFinishInTime() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("echo"))) {
            long written = client.trickle(true, RawWebSocketClient.BINARY, 1000, PayloadSource.repeating((byte) 'w'),
                    10, Duration.ofMillis(100));

            Close close = client.awaitClose(Duration.ofSeconds(5));
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).isEqualTo("binary message not completed within 3000 ms");
            assertThat(written).isLessThan(1000);
        }
    }

    @Test
    void streamsTextFarBeyondTheWholeMessageLimitToAReaderWithinItsCap() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("it/streams"))) {
            client.sendFrame(true, RawWebSocketClient.TEXT, 1 << 20, PayloadSource.repeating((byte) 'r'));
            assertThat(client.nextMessage(WAIT).text()).isEqualTo("chars=1048576");

            client.sendFrame(false, RawWebSocketClient.BINARY, 1 << 20, PayloadSource.pattern());
            client.sendFrame(true, RawWebSocketClient.CONTINUATION, 1 << 20, PayloadSource.pattern());
            assertThat(client.nextMessage(WAIT).text()).isEqualTo("bytes=2097152");
        }
    }

    @Test
    void closesWith1009AtTheFirstByteOverTheStreamCap() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(ws("it/streams"))) {
            client.sendFrame(false, RawWebSocketClient.TEXT, 1 << 20, PayloadSource.repeating((byte) 'r'));
            client.sendFrame(true, RawWebSocketClient.CONTINUATION, 1, PayloadSource.repeating((byte) 'r'));

            Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo("text message exceeds 1048576 bytes");
        }
    }

    @Test
    void leavesNoStateBehindAfterAThousandSessionsRejectedMidMessage() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Close>> closes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                closes.add(clients.submit(() -> {
                    try (RawWebSocketClient client = RawWebSocketClient.connect(ws("echo"))) {
                        client.sendFrame(false, RawWebSocketClient.TEXT, 40_000, PayloadSource.repeating((byte) 'm'));
                        try {
                            client.sendFrame(true, RawWebSocketClient.CONTINUATION, 40_000,
                                    PayloadSource.repeating((byte) 'm'));
                        } catch (IOException closedByServer) {
                            // The server may close before the second fragment is written: that is the point.
                        }
                        return client.awaitClose(WAIT);
                    }
                }));
            }
            for (Future<Close> close : closes) {
                assertThat(close.get().reason()).isEqualTo("text message exceeds 65536 bytes");
            }
        } finally {
            clients.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(stats()).contains("\"openSessions\":0", "\"messagesInProgress\":0", "\"bufferedBytes\":0",
                        "\"activeStreams\":0"));
    }

    private String stats() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(Deployments.http(base, "stats"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
