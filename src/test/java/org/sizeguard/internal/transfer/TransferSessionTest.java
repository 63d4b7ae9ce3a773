package org.sizeguard.internal.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.TransferLimits;
import org.sizeguard.internal.ServerLimits;
import org.sizeguard.transfer.TransferReceipt;

/** The transfer protocol of one connection against a real spill directory, message by message. */
class TransferSessionTest {

    private static final int CHUNK = 1000;
    private static final TransferLimits LIMITS = new TransferLimits(100_000, CHUNK, 3, 2, Duration.ofMinutes(10),
            Duration.ofHours(1));
    private static final MessageSizePolicy POLICY = new MessageSizePolicy("t", 65_536, 1 << 20, 65_536, 1 << 20,
            Duration.ofSeconds(30), StructureLimits.DEFAULTS, true, LIMITS);

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock();
    private DirectoryTransferStore store;
    private Transfers transfers;
    private final List<byte[]> received = new ArrayList<>();
    private final List<SizeguardCloseException> closedWith = new ArrayList<>();

    private Transfers transfers(int maxTransfers, long maxSpill) {
        store = new DirectoryTransferStore(directory);
        transfers = new Transfers(store, new ServerLimits(1 << 30, 16, 1 << 20, Duration.ofSeconds(30), 0, 0,
                maxTransfers, maxSpill, directory), clock);
        return transfers;
    }

    private TransferSession session() {
        if (transfers == null) {
            transfers(10, 1 << 30);
        }
        return new TransferSession(transfers, POLICY, transfer -> {
            try (InputStream in = transfer.openStream()) {
                received.add(in.readAllBytes());
            }
        }, closedWith::add);
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static ByteBuffer chunk(long channel, long offset, byte[] data, int from, int length) {
        ByteBuffer chunk = ByteBuffer.allocate(13 + length);
        chunk.put((byte) 1).putInt((int) channel).putLong(offset).put(data, from, length).flip();
        return chunk;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] payload(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static int code(Throwable refusal) {
        return ((SizeguardCloseException) refusal).closeCode().getCode();
    }

    private long spillFiles() throws Exception {
        return store.spillFiles();
    }

    @Test
    void deliversAVerifiedTransferSentInChunksAndAnswersWithItsReceipt() throws Exception {
        TransferSession session = session();
        byte[] data = payload(2500);

        JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":2500,\"name\":\"../../etc/passwd\","
                + "\"contentType\":\"application/octet-stream\"}"));
        assertThat(accepted.getString("type")).isEqualTo("accepted");
        assertThat(accepted.getInt("offset")).isZero();
        assertThat(accepted.getInt("chunkSize")).isEqualTo(CHUNK);
        assertThat(accepted.getInt("window")).isEqualTo(3);
        assertThat(accepted.getString("token")).hasSize(43);
        assertThat(accepted.getString("id")).hasSize(22);
        assertThat(Instant.parse(accepted.getString("deadline"))).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        int channel = accepted.getInt("channel");
        List<Long> acks = new ArrayList<>();
        for (int offset = 0; offset < data.length; offset += CHUNK) {
            JsonObject ack = json(session.chunk(chunk(channel, offset, data, offset, Math.min(CHUNK,
                    data.length - offset)), true));
            acks.add(ack.getJsonNumber("offset").longValue());
        }
        assertThat(acks).containsExactly(1000L, 2000L, 2500L);
        assertThat(spillFiles()).isOne();
        assertThat(directory.toFile().list()).allSatisfy(name -> assertThat(name).doesNotContain("passwd"));

        String receipt = session.control("{\"type\":\"end\",\"id\":\"" + accepted.getString("id") + "\",\"sha256\":\""
                + sha256(data) + "\"}");

        assertThat(TransferReceipt.parse(receipt)).isEqualTo(new TransferReceipt(accepted.getString("id"), 2500,
                sha256(data)));
        assertThat(received).singleElement().isEqualTo(data);
        assertThat(spillFiles()).isZero();
        assertThat(transfers.active()).isZero();
        assertThat(transfers.spillBytes()).isZero();
        assertThat(transfers.ended(Transfers.Outcome.COMPLETED)).as("counted for the metrics").isOne();
        assertThat(transfers.ended(Transfers.Outcome.FAILED)).isZero();
    }

    @Test
    void deliversATransferOfZeroBytesAndOneOfExactlyOneChunkWithTheDigestGivenAtTheStart() throws Exception {
        TransferSession session = session();
        JsonObject empty = json(session.control("{\"type\":\"start\",\"size\":0,\"id\":\"empty-1\"}"));
        assertThat(TransferReceipt.parse(session.control("{\"type\":\"end\",\"id\":\"empty-1\",\"sha256\":\""
                + sha256(new byte[0]) + "\"}")).bytes()).isZero();
        assertThat(empty.getString("id")).isEqualTo("empty-1");

        byte[] one = payload(CHUNK);
        JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":1000,\"id\":\"one\",\"sha256\":\""
                + sha256(one).toUpperCase() + "\"}"));
        session.chunk(chunk(accepted.getInt("channel"), 0, one, 0, CHUNK), true);

        assertThat(TransferReceipt.parse(session.control("{\"type\":\"end\",\"id\":\"one\"}")).sha256())
                .isEqualTo(sha256(one));
        assertThat(received).hasSize(2);
        assertThat(received.get(1)).isEqualTo(one);
    }

    @Test
    void resumesOnANewConnectionWithTheTokenFromWhereTheBytesWereStored() throws Exception {
        TransferSession first = session();
        byte[] data = payload(3000);
        JsonObject accepted = json(first.control("{\"type\":\"start\",\"size\":3000}"));
        String id = accepted.getString("id");
        first.chunk(chunk(accepted.getInt("channel"), 0, data, 0, CHUNK), true);
        first.ended();

        TransferSession thief = session();
        assertThatThrownBy(() -> thief.control("{\"type\":\"resume\",\"id\":\"" + id + "\",\"token\":\"guess\"}"))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1008))
                .hasMessage("unknown transfer or wrong resume token");
        assertThatThrownBy(() -> thief.control("{\"type\":\"cancel\",\"id\":\"" + id + "\"}"))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1008));

        TransferSession second = session();
        JsonObject resumed = json(second.control("{\"type\":\"resume\",\"id\":\"" + id + "\",\"token\":\""
                + accepted.getString("token") + "\"}"));
        assertThat(resumed.getInt("offset")).isEqualTo(CHUNK);
        assertThat(resumed.containsKey("token")).as("the token is never sent again").isFalse();
        int channel = resumed.getInt("channel");
        second.chunk(chunk(channel, 1000, data, 1000, CHUNK), true);
        second.chunk(chunk(channel, 2000, data, 2000, CHUNK), true);
        second.control("{\"type\":\"end\",\"id\":\"" + id + "\",\"sha256\":\"" + sha256(data) + "\"}");

        assertThat(received).singleElement().isEqualTo(data);
        assertThat(spillFiles()).isZero();
        assertThat(transfers.resumed()).as("the thief's guess is no resume").isOne();
        assertThat(transfers.ended(Transfers.Outcome.COMPLETED)).isOne();
    }

    @Test
    void aResumeTakesTheTransferOverFromAConnectionThatStillHoldsIt() throws Exception {
        TransferSession first = session();
        byte[] data = payload(2000);
        JsonObject accepted = json(first.control("{\"type\":\"start\",\"size\":2000}"));
        first.chunk(chunk(accepted.getInt("channel"), 0, data, 0, CHUNK), true);

        TransferSession second = session();
        JsonObject resumed = json(second.control("{\"type\":\"resume\",\"id\":\"" + accepted.getString("id")
                + "\",\"token\":\"" + accepted.getString("token") + "\"}"));

        assertThat(resumed.getInt("offset")).isEqualTo(CHUNK);
        assertThatThrownBy(() -> first.chunk(chunk(accepted.getInt("channel"), 1000, data, 1000, CHUNK), true))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1008))
                .hasMessage("chunk for no transfer of this connection");
        second.chunk(chunk(resumed.getInt("channel"), 1000, data, 1000, CHUNK), true);
        second.control("{\"type\":\"end\",\"id\":\"" + accepted.getString("id") + "\",\"sha256\":\""
                + sha256(data) + "\"}");
        assertThat(received).singleElement().isEqualTo(data);
    }

    /** Resumes the transfer {@code accepted} answered for, on {@code session}; the {@code accepted} answer. */
    private static JsonObject resume(TransferSession session, JsonObject accepted) throws Exception {
        return json(session.control("{\"type\":\"resume\",\"id\":\"" + accepted.getString("id")
                + "\",\"token\":\"" + accepted.getString("token") + "\"}"));
    }

    /** Ends the transfer {@code accepted} answered for, declaring the digest of {@code data}; the receipt. */
    private static String end(TransferSession session, JsonObject accepted, byte[] data) throws Exception {
        return session.control("{\"type\":\"end\",\"id\":\"" + accepted.getString("id") + "\",\"sha256\":\""
                + sha256(data) + "\"}");
    }

    /** {@code message} as parts of the given sizes (the last takes the rest); the answer to the last part. */
    private static String inParts(TransferSession session, ByteBuffer message, int... sizes) {
        for (int size : sizes) {
            ByteBuffer part = message.slice(message.position(), size);
            message.position(message.position() + size);
            assertThat(session.chunk(part, false)).as("no answer before the chunk's last part").isNull();
        }
        return session.chunk(message.slice(), true);
    }

    @Test
    void storesAChunkThatArrivesInPartsOfAnySizeEvenWithItsHeaderSplit() throws Exception {
        TransferSession session = session();
        byte[] data = payload(2500);
        JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":2500}"));
        int channel = accepted.getInt("channel");

        String first = inParts(session, chunk(channel, 0, data, 0, CHUNK), 1, 1, 4, 6, 1, 0, 300);
        String second = inParts(session, chunk(channel, 1000, data, 1000, CHUNK), 13, 500);
        String third = inParts(session, chunk(channel, 2000, data, 2000, 500), 20, 1, 1);

        assertThat(List.of(first, second, third)).extracting(answer -> json(answer).getJsonNumber("offset")
                .longValue()).containsExactly(1000L, 2000L, 2500L);
        assertThat(TransferReceipt.parse(end(session, accepted, data)).sha256()).isEqualTo(sha256(data));
        assertThat(received).singleElement().isEqualTo(data);
    }

    @Test
    void aChunkCutOffMidWayCountsForNothingAndTheResumedTransferDeliversEachByteOnce() throws Exception {
        TransferSession first = session();
        byte[] data = payload(2500);
        JsonObject accepted = json(first.control("{\"type\":\"start\",\"size\":2500}"));
        first.chunk(chunk(accepted.getInt("channel"), 0, data, 0, CHUNK), true);
        // The connection drops after 613 bytes of a second chunk were written to the spill file, bytes that the
        // resumed transfer does not carry: only what is committed may count.
        ByteBuffer cut = chunk(accepted.getInt("channel"), 1000, payload(4000), 0, CHUNK);
        assertThat(first.chunk(cut.slice(0, 13 + 613), false)).isNull();
        first.ended();

        TransferSession second = session();
        JsonObject resumed = resume(second, accepted);
        assertThat(resumed.getInt("offset")).as("the last acknowledged offset").isEqualTo(CHUNK);
        int channel = resumed.getInt("channel");
        inParts(second, chunk(channel, 1000, data, 1000, CHUNK), 13, 100);
        inParts(second, chunk(channel, 2000, data, 2000, 500), 250);
        end(second, accepted, data);

        assertThat(received).singleElement().isEqualTo(data);
        assertThat(spillFiles()).isZero();
    }

    @Test
    void aResumeMidChunkRefusesTheRestOfTheOldConnectionsChunkAndKeepsNoneOfIt() throws Exception {
        TransferSession first = session();
        byte[] data = payload(2000);
        JsonObject accepted = json(first.control("{\"type\":\"start\",\"size\":2000}"));
        int oldChannel = accepted.getInt("channel");
        first.chunk(chunk(oldChannel, 0, data, 0, CHUNK), true);
        byte[] other = payload(3000);
        ByteBuffer stale = chunk(oldChannel, 1000, other, 0, CHUNK);
        assertThat(first.chunk(stale.slice(0, 400), false)).isNull();

        TransferSession second = session();
        JsonObject resumed = resume(second, accepted);
        ByteBuffer fresh = chunk(resumed.getInt("channel"), 1000, data, 1000, CHUNK);
        assertThat(second.chunk(fresh.slice(0, 200), false)).isNull();
        assertThatThrownBy(() -> first.chunk(stale.slice(400, 13 + CHUNK - 400), true))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1008))
                .hasMessage("chunk for no transfer of this connection");
        second.chunk(fresh.slice(200, 13 + CHUNK - 200), true);
        end(second, accepted, data);

        assertThat(received).singleElement().isEqualTo(data);
    }

    @Test
    void refusesTheFirstPartThatTakesAChunkOverItsSizeOrPastTheTransferBeforeWritingIt() throws Exception {
        byte[] data = payload(3000);
        /** {@code firstPart}: header and data bytes that keep to the rules; the rest of the chunk breaks one. */
        record Case(String name, int code, String reason, long size, int length, int firstPart) {
        }
        for (Case rule : List.of(
                new Case("too big", 1009, "chunk of 1001 bytes exceeds 1000 bytes", 5000, CHUNK + 1,
                        13 + 600),
                new Case("past size", 1008, "chunk goes past the declared size of 1500 bytes", 1500, CHUNK,
                        13 + 400))) {
            transfers = null;
            TransferSession session = session();
            JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":" + rule.size() + "}"));
            int channel = accepted.getInt("channel");
            session.chunk(chunk(channel, 0, data, 0, CHUNK), true);
            ByteBuffer chunk = chunk(channel, 1000, data, 0, rule.length());
            assertThat(session.chunk(chunk.slice(0, rule.firstPart()), false)).as(rule.name()).isNull();
            long written = Files.size(Files.list(directory).findFirst().orElseThrow());

            assertThatThrownBy(() -> session.chunk(chunk.slice(rule.firstPart(), chunk.limit() - rule.firstPart()),
                    true))
                    .as(rule.name())
                    .satisfies(refusal -> assertThat(code(refusal)).as(rule.name()).isEqualTo(rule.code()))
                    .hasMessage(rule.reason());
            assertThat(written).as(rule.name() + ": bytes written before the part that broke the rule")
                    .isEqualTo(1000 + rule.firstPart() - 13);
            assertThat(spillFiles()).as(rule.name()).isZero();
            assertThat(transfers.ended(Transfers.Outcome.FAILED)).as(rule.name()).isOne();
        }
    }

    @Test
    void refusesAChunkWhoseHeaderEndsWithTheMessageWith1007() throws Exception {
        TransferSession session = session();
        JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":5000}"));
        ByteBuffer header = chunk(accepted.getInt("channel"), 0, new byte[0], 0, 0);

        assertThat(session.chunk(header.slice(0, 7), false)).isNull();
        assertThatThrownBy(() -> session.chunk(header.slice(7, 5), true))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1007))
                .hasMessage("malformed chunk header");
    }

    @Test
    void refusesEachChunkRuleWithItsCodeAndDeletesTheTransfer() throws Exception {
        byte[] data = payload(10_000);
        record Case(String name, int code, String reason, Function<Integer, ByteBuffer> chunk) {
        }
        List<Case> cases = List.of(
                new Case("gap", 1008, "chunk leaves a gap: expected offset 1000, got 2000",
                        channel -> chunk(channel, 2000, data, 0, CHUNK)),
                new Case("overlap", 1008, "chunk overlaps stored bytes: expected offset 1000, got 500",
                        channel -> chunk(channel, 500, data, 0, CHUNK)),
                new Case("window", 1008, "chunk outside the credit window of 3 chunks",
                        channel -> chunk(channel, 3500, data, 0, CHUNK)),
                new Case("past size", 1008, "chunk goes past the declared size of 5000 bytes",
                        channel -> chunk(channel, 4500, data, 0, CHUNK)),
                new Case("too big", 1009, "chunk of 1001 bytes exceeds 1000 bytes",
                        channel -> chunk(channel, 1000, data, 0, CHUNK + 1)),
                new Case("header", 1007, "malformed chunk header", channel -> ByteBuffer.wrap(new byte[12])),
                new Case("version", 1007, "malformed chunk header", channel -> {
                    ByteBuffer wrong = chunk(channel, 1000, data, 0, 10);
                    wrong.put(0, (byte) 2);
                    return wrong;
                }),
                new Case("channel", 1008, "chunk for no transfer of this connection",
                        channel -> chunk(channel + 7, 1000, data, 0, 10)));
        for (Case rule : cases) {
            transfers = null;
            TransferSession session = session();
            JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":5000}"));
            int channel = accepted.getInt("channel");
            session.chunk(chunk(channel, 0, data, 0, CHUNK), true);

            assertThatThrownBy(() -> session.chunk(rule.chunk().apply(channel), true)).as(rule.name())
                    .satisfies(refusal -> assertThat(code(refusal)).as(rule.name()).isEqualTo(rule.code()))
                    .hasMessage(rule.reason());
            if (!rule.name().equals("header") && !rule.name().equals("version") && !rule.name().equals("channel")) {
                assertThat(spillFiles()).as(rule.name()).isZero();
                assertThat(transfers.active()).as(rule.name()).isZero();
                assertThat(transfers.ended(Transfers.Outcome.FAILED)).as(rule.name() + " counted as failed").isOne();
            }
        }
    }

    @Test
    void refusesAnEndBeforeEveryByteAndADigestThatDoesNotMatch() throws Exception {
        TransferSession session = session();
        byte[] data = payload(2000);
        JsonObject early = json(session.control("{\"type\":\"start\",\"size\":2000,\"id\":\"early\"}"));
        session.chunk(chunk(early.getInt("channel"), 0, data, 0, CHUNK), true);
        assertThatThrownBy(() -> session.control("{\"type\":\"end\",\"id\":\"early\",\"sha256\":\"" + sha256(data)
                + "\"}")).satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1008))
                .hasMessage("transfer ended at 1000 of 2000 bytes");

        JsonObject wrong = json(session.control("{\"type\":\"start\",\"size\":1000,\"id\":\"wrong\"}"));
        session.chunk(chunk(wrong.getInt("channel"), 0, data, 0, CHUNK), true);
        assertThatThrownBy(() -> session.control("{\"type\":\"end\",\"id\":\"wrong\",\"sha256\":\"" + sha256(data)
                + "\"}")).satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1007))
                .hasMessage("transfer digest does not match");

        assertThat(received).isEmpty();
        assertThat(spillFiles()).isZero();
        assertThat(transfers.active()).isZero();
    }

    @Test
    void refusesMalformedControlMessagesWith1007() {
        TransferSession session = session();
        for (String malformed : List.of("not json", "[1,2]", "{\"size\":3}", "{\"type\":\"fly\"}",
                "{\"type\":\"start\"}", "{\"type\":\"start\",\"size\":-1}", "{\"type\":\"start\",\"size\":1.5}",
                "{\"type\":\"start\",\"size\":\"10\"}", "{\"type\":\"start\",\"size\":10,\"id\":\"a/b\"}",
                "{\"type\":\"start\",\"size\":10,\"nested\":{\"a\":[[[[1]]]]}}",
                "{\"type\":\"start\",\"size\":10,\"sha256\":\"abc\"}", "{\"type\":\"start\",\"size\":10} {}",
                "{\"type\":\"start\",\"size\":1e99999999999}")) {
            assertThatThrownBy(() -> session.control(malformed)).as(malformed)
                    .satisfies(refusal -> assertThat(code(refusal)).as(malformed).isEqualTo(1007))
                    .hasMessageStartingWith("malformed transfer message: ");
        }
    }

    @Test
    void refusesATransferOverTheCapBeforeAnyDataAndTheLimitsOfSessionAndServer() throws Exception {
        assertThatThrownBy(() -> session().control("{\"type\":\"start\",\"size\":100001}"))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1009))
                .hasMessage("transfer of 100001 bytes exceeds 100000 bytes");

        TransferSession session = session();
        session.control("{\"type\":\"start\",\"size\":10}");
        session.control("{\"type\":\"start\",\"size\":10}");
        assertThatThrownBy(() -> session.control("{\"type\":\"start\",\"size\":10}"))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1008))
                .hasMessage("more than 2 transfers at once on this connection");

        transfers(1, 1 << 30);
        session().control("{\"type\":\"start\",\"size\":10}");
        assertThatThrownBy(() -> session().control("{\"type\":\"start\",\"size\":10}"))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1013))
                .hasMessage("server limit of 1 transfers at once is reached");

        transfers(10, 15);
        session().control("{\"type\":\"start\",\"size\":10}");
        assertThatThrownBy(() -> session().control("{\"type\":\"start\",\"size\":10}"))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1013))
                .hasMessage("server budget of 15 spill bytes is spent");
        assertThat(transfers.active()).isOne();
        assertThat(transfers.spillBytes()).isEqualTo(10);

        session().control("{\"type\":\"start\",\"size\":1,\"id\":\"taken\"}");
        assertThatThrownBy(() -> session().control("{\"type\":\"start\",\"size\":1,\"id\":\"taken\"}"))
                .satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1008))
                .hasMessage("transfer id already in use");
        assertThat(transfers.spillBytes()).isEqualTo(11);
    }

    @Test
    void cancelsATransferAndFreesItsBytesAtOnce() throws Exception {
        TransferSession session = session();
        JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":5000}"));
        session.chunk(chunk(accepted.getInt("channel"), 0, payload(CHUNK), 0, CHUNK), true);

        JsonObject cancelled = json(session.control("{\"type\":\"cancel\",\"id\":\"" + accepted.getString("id")
                + "\"}"));

        assertThat(cancelled.getString("type")).isEqualTo("cancelled");
        assertThat(spillFiles()).isZero();
        assertThat(transfers.active()).isZero();
    }

    @Test
    void endsATransferAtItsDeadlineAndAnUnheldOneAfterItsRetention() throws Exception {
        TransferSession held = session();
        held.control("{\"type\":\"start\",\"size\":5000,\"id\":\"late\"}");
        TransferSession dropped = session();
        dropped.control("{\"type\":\"start\",\"size\":5000,\"id\":\"left\"}");
        dropped.ended();

        clock.advance(Duration.ofMinutes(11));
        transfers.sweep();
        assertThat(transfers.active()).as("the unheld one is gone after its retention").isOne();
        assertThat(closedWith).isEmpty();

        clock.advance(Duration.ofHours(1));
        transfers.sweep();
        assertThat(closedWith).singleElement().satisfies(refusal -> {
            assertThat(refusal.closeCode().getCode()).isEqualTo(1008);
            assertThat(refusal.getMessage()).isEqualTo("transfer deadline passed");
        });
        assertThat(transfers.active()).isZero();
        assertThat(spillFiles()).isZero();
    }

    @Test
    void theSweepLeavesATransferAloneWhileTheApplicationReadsItPastItsDeadline() throws Exception {
        transfers(10, 1 << 30);
        byte[] data = payload(1500);
        List<byte[]> read = new ArrayList<>();
        TransferSession session = new TransferSession(transfers, POLICY, transfer -> {
            // The deadline passes while the application's method runs, and the sweep comes.
            clock.advance(Duration.ofHours(2));
            transfers.sweep();
            try (InputStream in = transfer.openStream()) {
                read.add(in.readAllBytes());
            }
        }, closedWith::add);
        JsonObject accepted = json(session.control("{\"type\":\"start\",\"size\":1500,\"id\":\"slow-reader\"}"));
        int channel = accepted.getInt("channel");
        session.chunk(chunk(channel, 0, data, 0, CHUNK), true);
        session.chunk(chunk(channel, CHUNK, data, CHUNK, 500), true);

        String receipt = session.control("{\"type\":\"end\",\"id\":\"slow-reader\",\"sha256\":\"" + sha256(data)
                + "\"}");

        assertThat(TransferReceipt.parse(receipt).bytes()).isEqualTo(1500);
        assertThat(read).singleElement().isEqualTo(data);
        assertThat(closedWith).as("no deadline refusal for a transfer being delivered").isEmpty();
        assertThat(transfers.ended(Transfers.Outcome.COMPLETED)).isOne();
        assertThat(transfers.ended(Transfers.Outcome.EXPIRED)).isZero();
        assertThat(spillFiles()).as("deleted once the method returned").isZero();
    }

    @Test
    void deletesWhatAnEarlierRunLeftInItsDirectoryAndNothingElse() throws Exception {
        Files.writeString(directory.resolve("0123" + DirectoryTransferStore.SUFFIX), "left over");
        Files.writeString(directory.resolve("someone-elses.txt"), "keep");
        transfers(10, 1 << 30);

        transfers.clearStore();

        assertThat(directory.toFile().list()).containsExactly("someone-elses.txt");
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
