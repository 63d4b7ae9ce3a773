package org.sizeguard.bench;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.sizeguard.testclient.RawWebSocketClient.Message;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * (c) Bulk binary transfers of the same bytes (a 1 MiB block of seeded random bytes, repeated): an upload to
 * Sizeguard's {@code /upload}, as one frame or as 1 MiB frames of one message, whose receipt's sha256 must match;
 * and a raw echo of 1 MiB binary messages by the container alone, whose echoed bytes are counted.
 */
final class BulkTransfer {

    static final int MIB = 1 << 20;
    private static final byte[] BLOCK = new byte[MIB];
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    static {
        new Random(20261101L).nextBytes(BLOCK);
    }

    /** The same bytes at any offset: the block, repeated. */
    static final PayloadSource SOURCE = (offset, chunk, length) -> {
        int done = 0;
        while (done < length) {
            int at = (int) ((offset + done) % MIB);
            int n = Math.min(length - done, MIB - at);
            System.arraycopy(BLOCK, at, chunk, done, n);
            done += n;
        }
    };

    private BulkTransfer() {
    }

    /** Bytes of each transfer: 1 GiB unless {@code -Dbench.bulk.mib} says otherwise. */
    static long total() {
        return Long.getLong("bench.bulk.mib", 1024) * MIB;
    }

    /** The sha256 the upload receipt must name. */
    static String expectedSha256(long total) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (long done = 0; done < total; done += MIB) {
            digest.update(BLOCK, 0, (int) Math.min(MIB, total - done));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Result of one transfer: seconds from the first byte written to the receipt or the last echoed byte. */
    record Run(double seconds, long bytes, boolean ok, String check) {
        double mibPerSecond() {
            return bytes / (double) MIB / seconds;
        }
    }

    /** Uploads {@code total} bytes as one message, in frames of {@code frame} bytes (one frame if {@code frame >= total}). */
    static Run upload(URI uri, long total, long frame, String expectedSha256) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri, true)) {
            long start = System.nanoTime();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (long sent = 0; sent < total; sent += frame) {
                        long length = Math.min(frame, total - sent);
                        long at = sent;
                        client.sendFrame(sent + length >= total,
                                sent == 0 ? RawWebSocketClient.BINARY : RawWebSocketClient.CONTINUATION, length,
                                (offset, chunk, n) -> SOURCE.fill(at + offset, chunk, n));
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, BenchThreads.POOL);
            Message receipt = client.nextMessage(TIMEOUT);
            double seconds = (System.nanoTime() - start) / 1e9;
            String expected = "{\"bytes\":" + total + ",\"sha256\":\"" + expectedSha256 + "\"}";
            if (receipt == null) {
                String why = sending.isCompletedExceptionally() ? failure(sending) : "no receipt within " + TIMEOUT;
                return new Run(seconds, total, false, why);
            }
            sending.get(30, TimeUnit.SECONDS);
            boolean ok = expected.equals(receipt.text());
            return new Run(seconds, total, ok, ok ? "sha256 matches" : "receipt " + receipt.text() + ", expected " + expected);
        }
    }

    /** Sends {@code total} bytes as binary messages of {@code message} bytes to an echo; counts what comes back. */
    static Run rawEcho(URI uri, long total, int message) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri, true)) {
            long start = System.nanoTime();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (long sent = 0; sent < total; sent += message) {
                        long length = Math.min(message, total - sent);
                        client.sendFrame(true, RawWebSocketClient.BINARY, length, SOURCE);
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, BenchThreads.POOL);
            long echoed = 0;
            boolean same = true;
            while (echoed < total) {
                Message reply = client.nextMessage(TIMEOUT);
                if (reply == null) {
                    break;
                }
                if (echoed == 0) {
                    byte[] first = new byte[reply.payload().length];
                    SOURCE.fill(0, first, first.length);
                    same = java.util.Arrays.equals(first, reply.payload());
                }
                echoed += reply.payload().length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (echoed == total) {
                sending.get(30, TimeUnit.SECONDS);
            }
            boolean ok = echoed == total && same;
            return new Run(seconds, total, ok, ok ? String.format(java.util.Locale.ROOT, "%,d B echoed", echoed)
                    : String.format(java.util.Locale.ROOT, "%,d of %,d B echoed%s%s", echoed, total,
                            same ? "" : ", first message differs",
                            sending.isCompletedExceptionally() ? ", " + failure(sending) : ""));
        }
    }

    private static String failure(CompletableFuture<?> future) {
        try {
            future.get(0, TimeUnit.SECONDS);
            return "";
        } catch (ExecutionException e) {
            return "sending failed: " + e.getCause();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
