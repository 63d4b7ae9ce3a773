package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.CuttingProxy;
import org.sizeguard.testclient.PayloadStream;
import org.sizeguard.testclient.RawWebSocketClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.Message;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.transfer.OnTransfer;
import org.sizeguard.transfer.TransferClient;
import org.sizeguard.transfer.TransferFailedException;
import org.sizeguard.transfer.TransferReceipt;

/**
 * Chunked transfers on the real server: the Java client's transfers (many chunks, 0 bytes, exactly one chunk, eight
 * in parallel, 1 GiB with the heap in check, resumed after a connection cut mid-way by a proxy), an endpoint that takes
 * ordinary messages too, and every violation a raw client can commit, each with its code and reason, the transfer
 * deleted and another session's transfer unaffected. {@code /it/files} uses 16 KiB chunks and a window of 2.
 */
@ExtendWith(ArquillianExtension.class)
class TransferIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CHUNK = 16 * 1024;
    private static final Path SPILL = Path.of(System.getProperty("java.io.tmpdir"), "sizeguard-transfers",
            "sizeguard");

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private final TransferClient client = TransferClient.create();

    /** Pseudo-random bytes for any offset: a seeded 1 MiB block, repeated. */
    private static final PayloadSource GENERATED = repeated(payload(1 << 20));

    private static PayloadSource repeated(byte[] block) {
        return (offset, chunk, length) -> {
            for (int done = 0; done < length; ) {
                int at = (int) ((offset + done) % block.length);
                int n = Math.min(length - done, block.length - at);
                System.arraycopy(block, at, chunk, done, n);
                done += n;
            }
        };
    }

    private URI files() {
        return Deployments.ws(base, "it/files");
    }

    private static byte[] payload(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static <T> T within(CompletableFuture<T> future, Duration timeout) throws Exception {
        return future.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    private JsonObject stats() throws Exception {
        try (var reader = Json.createReader(new StringReader(Deployments.get(base, "stats")))) {
            return reader.readObject();
        }
    }

    /** Nothing of any transfer is left: none in progress, no spill space reserved, no spill file on disk. */
    private void nothingLeft() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonObject stats = stats();
            assertThat(stats.getInt("activeTransfers")).isZero();
            assertThat(stats.getJsonNumber("spillBytes").longValue()).isZero();
        });
        if (Files.isDirectory(SPILL)) {
            try (Stream<Path> spilled = Files.list(SPILL)) {
                assertThat(spilled).as("spill files in " + SPILL).isEmpty();
            }
        }
    }

    @Test
    void sendsAPayloadOfManyChunksAndGetsItsReceiptOnceEveryByteIsStored() throws Exception {
        byte[] data = payload(1_000_000);
        List<Long> progress = new ArrayList<>();

        TransferReceipt receipt = within(client.send(files(), data,
                TransferClient.Options.named("data.bin").onProgress(progress::add)), WAIT);

        assertThat(receipt.bytes()).isEqualTo(data.length);
        assertThat(receipt.sha256()).isEqualTo(sha256(data));
        assertThat(progress).isSorted().hasSizeGreaterThanOrEqualTo(data.length / CHUNK).last()
                .isEqualTo((long) data.length);
        nothingLeft();
    }

    @Test
    void sendsATransferOfZeroBytesAndOneOfExactlyOneChunk() throws Exception {
        byte[] one = payload(CHUNK);

        assertThat(within(client.send(files(), new byte[0], TransferClient.Options.defaults()), WAIT))
                .extracting(TransferReceipt::bytes, TransferReceipt::sha256).containsExactly(0L, sha256(new byte[0]));
        assertThat(within(client.send(files(), one, TransferClient.Options.defaults()), WAIT).sha256())
                .isEqualTo(sha256(one));
        nothingLeft();
    }

    @Test
    void resumesByItselfAfterTheConnectionIsCutMidwayAndDeliversEveryByteOnce() throws Exception {
        byte[] data = payload(2_000_000);
        try (CuttingProxy proxy = CuttingProxy.to(files(), 700_000)) {
            TransferReceipt receipt = within(client.send(proxy.through(files()), data,
                    TransferClient.Options.defaults().withResumes(5, Duration.ofMillis(100))), WAIT);

            assertThat(proxy.hasCut()).isTrue();
            assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
            assertThat(receipt.bytes()).isEqualTo(data.length);
            assertThat(receipt.sha256()).isEqualTo(sha256(data));
        }
        nothingLeft();
    }

    @Test
    void cancelsASendMidwayAndTheServerKeepsNothingOfIt() throws Exception {
        CompletableFuture<Long> halfway = new CompletableFuture<>();
        CompletableFuture<TransferReceipt> sending = client.send(files(), payload(4_000_000),
                TransferClient.Options.defaults().onProgress(bytes -> {
                    if (bytes >= 1_000_000) {
                        halfway.complete(bytes);
                    }
                }));
        within(halfway, WAIT);

        assertThat(sending.cancel(true)).isTrue();

        assertThat(sending).isCancelled();
        nothingLeft();
    }

    @Test
    void sendsEightTransfersInParallel() throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        List<CompletableFuture<TransferReceipt>> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] data = payload(300_000 + i);
            payloads.add(data);
            sends.add(client.send(files(), data, TransferClient.Options.named("part-" + i)));
        }
        for (int i = 0; i < 8; i++) {
            assertThat(within(sends.get(i), WAIT).sha256()).isEqualTo(sha256(payloads.get(i)));
        }
        nothingLeft();
    }

    @Test
    void servesOrdinaryMessagesOnConnectionsThatDoNotAskForTheTransferProtocol() throws Exception {
        try (RawWebSocketClient plain = RawWebSocketClient.connect(files());
                RawWebSocketClient transfers = RawWebSocketClient.connectSpeaking(files(), OnTransfer.SUBPROTOCOL)) {
            plain.sendText("hello");

            assertThat(plain.nextMessage(WAIT).text()).isEqualTo("echo: hello");
            assertThat(plain.negotiatedSubprotocol()).isEmpty();
            assertThat(transfers.negotiatedSubprotocol()).isEqualTo(OnTransfer.SUBPROTOCOL);
        }
    }

    @Test
    void refusesATransferTheApplicationRefusesWithItsReasonAndNoReceipt() throws Exception {
        ExecutionException refused = catchThrowableOfType(
                () -> within(client.send(files(), payload(40_000), TransferClient.Options.named("refuse.bin")), WAIT),
                ExecutionException.class);

        assertThat(refused.getCause()).isInstanceOfSatisfying(TransferFailedException.class, failed -> {
            assertThat(failed.closeCode()).isEqualTo(1008);
            assertThat(failed.reason()).isEqualTo("refuse.bin is not welcome here");
        });
        nothingLeft();
    }

    /** A raw transfer connection that has started a transfer of {@code size} bytes. */
    private record Started(RawWebSocketClient socket, String id, String token, int channel) {
    }

    private Started start(long size) throws Exception {
        return start(files(), size);
    }

    private Started start(URI endpoint, long size) throws Exception {
        RawWebSocketClient socket = RawWebSocketClient.connectSpeaking(endpoint, OnTransfer.SUBPROTOCOL);
        socket.sendText("{\"type\":\"start\",\"size\":" + size + "}");
        JsonObject accepted = json(socket.nextMessage(WAIT));
        assertThat(accepted.getString("type")).isEqualTo("accepted");
        return new Started(socket, accepted.getString("id"), accepted.getString("token"), accepted.getInt("channel"));
    }

    private static JsonObject json(Message message) {
        assertThat(message).as("a message within " + WAIT).isNotNull();
        try (var reader = Json.createReader(new StringReader(message.text()))) {
            return reader.readObject();
        }
    }

    private static byte[] chunk(int channel, long offset, byte[] data) {
        return ByteBuffer.allocate(13 + data.length).put((byte) 1).putInt(channel).putLong(offset).put(data).array();
    }

    @Test
    void closesEachViolationWithItsCodeAndReasonAndLeavesAnotherSessionsTransferAlone() throws Exception {
        byte[] data = payload(CHUNK);
        Started bystander = start(2L * CHUNK);
        bystander.socket().sendBinary(chunk(bystander.channel(), 0, data));
        assertThat(json(bystander.socket().nextMessage(WAIT)).getInt("offset")).isEqualTo(CHUNK);

        record Violation(String rule, int code, String reason, ViolationSteps steps) {
        }
        List<Violation> violations = List.of(
                new Violation("malformed control message", 1007, "malformed transfer message: not a JSON object",
                        socket -> socket.sendText("{\"type\":")),
                new Violation("transfer over the cap", 1009, "transfer of 67108865 bytes exceeds 67108864 bytes",
                        socket -> socket.sendText("{\"type\":\"start\",\"size\":67108865}")),
                new Violation("wrong resume token", 1008, "unknown transfer or wrong resume token",
                        socket -> socket.sendText("{\"type\":\"resume\",\"id\":\"" + bystander.id()
                                + "\",\"token\":\"AAAA\"}")),
                new Violation("malformed chunk header", 1007, "malformed chunk header",
                        socket -> socket.sendBinary(new byte[] {1, 2, 3})));
        for (Violation violation : violations) {
            try (RawWebSocketClient socket = RawWebSocketClient.connectSpeaking(files(), OnTransfer.SUBPROTOCOL)) {
                violation.steps().run(socket);
                assertThat(socket.awaitClose(WAIT)).as(violation.rule()).extracting(Close::code, Close::reason)
                        .containsExactly(violation.code(), violation.reason());
            }
        }
        record ChunkViolation(String rule, int code, String reason, long size, long offset, int length) {
        }
        for (ChunkViolation violation : List.of(
                new ChunkViolation("gap", 1008, "chunk leaves a gap: expected offset 16384, got 32768", 5L * CHUNK,
                        2L * CHUNK, CHUNK),
                new ChunkViolation("overlap", 1008, "chunk overlaps stored bytes: expected offset 16384, got 0",
                        5L * CHUNK, 0, CHUNK),
                new ChunkViolation("outside the window", 1008, "chunk outside the credit window of 2 chunks",
                        5L * CHUNK, 3L * CHUNK, CHUNK),
                new ChunkViolation("past the declared size", 1008, "chunk goes past the declared size of 16394 bytes",
                        CHUNK + 10L, CHUNK, 11),
                new ChunkViolation("chunk over the chunk size", 1009, "chunk of 16385 bytes exceeds 16384 bytes",
                        5L * CHUNK, CHUNK, CHUNK + 1))) {
            Started started = start(violation.size());
            started.socket().sendBinary(chunk(started.channel(), 0, data));
            assertThat(json(started.socket().nextMessage(WAIT)).getInt("offset")).isEqualTo(CHUNK);
            started.socket().sendBinary(chunk(started.channel(), violation.offset(), new byte[violation.length()]));
            assertThat(started.socket().awaitClose(WAIT)).as(violation.rule()).extracting(Close::code, Close::reason)
                    .containsExactly(violation.code(), violation.reason());
            started.socket().close();
        }
        Started mismatch = start(CHUNK);
        mismatch.socket().sendBinary(chunk(mismatch.channel(), 0, data));
        mismatch.socket().nextMessage(WAIT);
        mismatch.socket().sendText("{\"type\":\"end\",\"id\":\"" + mismatch.id() + "\",\"sha256\":\""
                + "0".repeat(64) + "\"}");
        assertThat(mismatch.socket().awaitClose(WAIT)).extracting(Close::code, Close::reason)
                .containsExactly(1007, "transfer digest does not match");
        mismatch.socket().close();
        Started crowded = start(10);
        crowded.socket().sendText("{\"type\":\"start\",\"size\":10}");
        JsonObject second = json(crowded.socket().nextMessage(WAIT));
        crowded.socket().sendText("{\"type\":\"start\",\"size\":10}");
        assertThat(crowded.socket().awaitClose(WAIT)).extracting(Close::code, Close::reason)
                .containsExactly(1008, "more than 2 transfers at once on this connection");
        crowded.socket().close();
        // Its two accepted transfers wait for a resume: resumed with their tokens and cancelled, they are gone.
        cancel(crowded.id(), crowded.token());
        cancel(second.getString("id"), second.getString("token"));

        bystander.socket().sendBinary(chunk(bystander.channel(), CHUNK, data));
        assertThat(json(bystander.socket().nextMessage(WAIT)).getInt("offset")).isEqualTo(2 * CHUNK);
        byte[] whole = new byte[2 * CHUNK];
        System.arraycopy(data, 0, whole, 0, CHUNK);
        System.arraycopy(data, 0, whole, CHUNK, CHUNK);
        bystander.socket().sendText("{\"type\":\"end\",\"id\":\"" + bystander.id() + "\",\"sha256\":\""
                + sha256(whole) + "\"}");
        JsonObject receipt = json(bystander.socket().nextMessage(WAIT));
        assertThat(receipt.getString("id")).isEqualTo(bystander.id());
        assertThat(receipt.getInt("bytes")).isEqualTo(2 * CHUNK);
        bystander.socket().close();
        nothingLeft();
    }

    private void cancel(String id, String token) throws Exception {
        try (RawWebSocketClient socket = RawWebSocketClient.connectSpeaking(files(), OnTransfer.SUBPROTOCOL)) {
            socket.sendText("{\"type\":\"resume\",\"id\":\"" + id + "\",\"token\":\"" + token + "\"}");
            assertThat(json(socket.nextMessage(WAIT)).getString("type")).isEqualTo("accepted");
            socket.sendText("{\"type\":\"cancel\",\"id\":\"" + id + "\"}");
            assertThat(json(socket.nextMessage(WAIT)).getString("type")).isEqualTo("cancelled");
        }
    }

    @Test
    void refusesTransfersBeyondTheServersSpillSpaceAndTransferCountWith1013() throws Exception {
        List<Started> started = new ArrayList<>();
        try {
            // 4 GiB of spill space (the tests' web.xml): four transfers of 1 GiB - 1 MiB declared leave 4 MiB.
            for (int i = 0; i < 4; i++) {
                started.add(start(Deployments.ws(base, "transfer"), (1L << 30) - (1L << 20)));
            }
            try (RawWebSocketClient fifth = RawWebSocketClient.connectSpeaking(Deployments.ws(base, "transfer"),
                    OnTransfer.SUBPROTOCOL)) {
                fifth.sendText("{\"type\":\"start\",\"size\":1073741824}");
                assertThat(fifth.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                        .containsExactly(1013, "server budget of 4294967296 spill bytes is spent");
            }
            // 12 transfers at once (the tests' web.xml): eight more of 10 bytes make twelve.
            for (int i = 0; i < 8; i++) {
                started.add(start(files(), 10));
            }
            try (RawWebSocketClient thirteenth = RawWebSocketClient.connectSpeaking(files(), OnTransfer.SUBPROTOCOL)) {
                thirteenth.sendText("{\"type\":\"start\",\"size\":10}");
                assertThat(thirteenth.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                        .containsExactly(1013, "server limit of 12 transfers at once is reached");
            }
        } finally {
            for (Started transfer : started) {
                transfer.socket().sendText("{\"type\":\"cancel\",\"id\":\"" + transfer.id() + "\"}");
                assertThat(json(transfer.socket().nextMessage(WAIT)).getString("type")).isEqualTo("cancelled");
                transfer.socket().close();
            }
        }
        nothingLeft();
    }

    @Test
    void endsATransferThatMissesItsDeadlineWith1008AndDeletesIt() throws Exception {
        try (RawWebSocketClient socket = RawWebSocketClient.connectSpeaking(Deployments.ws(base, "it/hurried"),
                OnTransfer.SUBPROTOCOL)) {
            socket.sendText("{\"type\":\"start\",\"size\":1000}");
            assertThat(json(socket.nextMessage(WAIT)).getString("type")).isEqualTo("accepted");

            assertThat(socket.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                    .containsExactly(1008, "transfer deadline passed");
        }
        nothingLeft();
    }

    @FunctionalInterface
    private interface ViolationSteps {
        void run(RawWebSocketClient socket) throws IOException;
    }

    @Test
    void sendsAGibibyteFromTheJavaClientWithTheHeapGrowingByAtMost64MiBAndNoSpillFileLeft() throws Exception {
        long size = 1L << 30;
        long before = heapInUse();
        AtomicLong most = new AtomicLong(before);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        CompletableFuture<TransferReceipt> sending = client.send(Deployments.ws(base, "transfer"),
                new PayloadStream(GENERATED, size, expected), size, TransferClient.Options.named("gibibyte.bin"));
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
            most.accumulateAndGet(heapInUse(), Math::max);
            return sending.isDone();
        });
        TransferReceipt receipt = within(sending, Duration.ofSeconds(1));

        assertThat(receipt.bytes()).isEqualTo(size);
        assertThat(receipt.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(most.get() - before).as("heap growth during the transfer").isLessThanOrEqualTo(64L << 20);
        nothingLeft();
    }

    private long heapInUse() throws Exception {
        return Long.parseLong(Deployments.get(base, "it/heap").trim());
    }
}
