package org.sizeguard.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.Message;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * (a) How far a server reads into one text frame whose header declares more than the 64 KiB limit before it
 * closes. The payload is paced ({@link RawWebSocketClient#trickle}: {@link #CHUNK} bytes, then up to {@link #PAUSE}
 * waiting for the close frame), so that little sits in socket buffers; the payload bytes the client had written when
 * the close frame arrived are an <em>upper bound</em> of what the server read. Each attempt stops after
 * {@link #capSeconds()} or {@link #capBytes()} written.
 */
final class ReadBeforeClose {

    static final int CHUNK = 16 * 1024;
    static final Duration PAUSE = Duration.ofMillis(5);
    /** After a frame was written whole: how long to wait for its echo or a close. */
    private static final Duration AFTER_WRITE = Duration.ofSeconds(30);

    private ReadBeforeClose() {
    }

    static long capSeconds() {
        return Long.getLong("bench.cap.seconds", 60);
    }

    static long capBytes() {
        return Long.getLong("bench.cap.mib", 512) << 20;
    }

    /** One attempt on a new connection. */
    static Attempt attempt(URI uri, long declared) throws Exception {
        long start = System.nanoTime();
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri, true)) {
            long deadline = start + TimeUnit.SECONDS.toNanos(capSeconds());
            long cap = capBytes();
            PayloadSource ascii = PayloadSource.repeating((byte) 'x');
            PayloadSource capped = (offset, chunk, length) -> {
                if (offset >= cap || System.nanoTime() - deadline > 0) {
                    throw new CapReached();
                }
                ascii.fill(offset, chunk, length);
            };
            long written;
            try {
                written = client.trickle(true, RawWebSocketClient.TEXT, declared, capped, CHUNK, PAUSE);
            } catch (CapReached stop) {
                return Attempt.stillReading(client.payloadBytesWritten(), seconds(start));
            }
            CompletableFuture<Close> close = client.closeFuture();
            if (written < declared) {
                // Stopped by the close frame or by the end of the connection.
                return ended(client, close, start);
            }
            // Written whole: the echo or a close comes next.
            CompletableFuture<Object> first = new CompletableFuture<>();
            close.whenComplete((c, failed) -> first.complete(c != null ? c : failed));
            CompletableFuture.runAsync(() -> {
                try {
                    Message message = client.nextMessage(AFTER_WRITE);
                    if (message != null) {
                        first.complete(message);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, BenchThreads.POOL);
            try {
                Object result = first.get(AFTER_WRITE.toMillis(), TimeUnit.MILLISECONDS);
                if (result instanceof Message message) {
                    return Attempt.echoed(written, message.payload().length, seconds(start));
                }
                return ended(client, close, start);
            } catch (TimeoutException silent) {
                return Attempt.silent(written, seconds(start));
            }
        }
    }

    private static Attempt ended(RawWebSocketClient client, CompletableFuture<Close> close, long start)
            throws InterruptedException {
        try {
            Close c = close.get(AFTER_WRITE.toMillis(), TimeUnit.MILLISECONDS);
            return Attempt.closed(c.code(), c.reason(), client.payloadBytesWrittenAtClose(), seconds(start));
        } catch (ExecutionException dropped) {
            return Attempt.dropped(client.payloadBytesWrittenAtClose(), seconds(start));
        } catch (TimeoutException stillOpen) {
            return Attempt.silent(client.payloadBytesWritten(), seconds(start));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Thrown by the payload source to stop writing at the cap; the frame is abandoned with its connection. */
    private static final class CapReached extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CapReached() {
            super(null, null, false, false);
        }
    }

    enum Kind { CLOSED, ECHOED, STILL_READING, DROPPED, SILENT, NOT_MEASURED }

    /** What one attempt ended with; {@code bytes}: payload bytes written by then (upper bound of bytes read). */
    record Attempt(Kind kind, int code, String reason, long bytes, double seconds, String note) {

        static Attempt closed(int code, String reason, long bytes, double seconds) {
            return new Attempt(Kind.CLOSED, code, reason, bytes, seconds, "");
        }

        static Attempt echoed(long bytes, long echoed, double seconds) {
            return new Attempt(Kind.ECHOED, 0, "", bytes, seconds, "echoed " + number(echoed) + " B");
        }

        static Attempt stillReading(long bytes, double seconds) {
            return new Attempt(Kind.STILL_READING, 0, "", bytes, seconds, "");
        }

        static Attempt dropped(long bytes, double seconds) {
            return new Attempt(Kind.DROPPED, 1006, "", bytes, seconds, "");
        }

        static Attempt silent(long bytes, double seconds) {
            return new Attempt(Kind.SILENT, 0, "", bytes, seconds, "");
        }

        static Attempt notMeasured(String why) {
            return new Attempt(Kind.NOT_MEASURED, 0, "", -1, 0, why);
        }

        /** Whether the server read the whole frame or had not closed when the attempt stopped. */
        boolean readOn() {
            return kind == Kind.ECHOED || kind == Kind.STILL_READING || kind == Kind.SILENT;
        }

        String closeCell() {
            return switch (kind) {
                case CLOSED -> String.valueOf(code);
                case ECHOED -> "none: " + note + " (read the whole frame)";
                case STILL_READING -> String.format(Locale.ROOT, "none: still reading after %.0f s, ≥ %s B written",
                        seconds, number(bytes));
                case DROPPED -> "1006 (connection dropped, no close frame)";
                case SILENT -> "none within " + AFTER_WRITE.toSeconds() + " s of the last byte";
                case NOT_MEASURED -> "not measured: " + note;
            };
        }

        String reasonCell() {
            return kind == Kind.CLOSED ? "\"" + reason.replace("|", "\\|") + "\"" : "—";
        }

        /** CLOSED, DROPPED: an upper bound of bytes read; ECHOED: all of it; otherwise written with no close yet. */
        String bytesCell() {
            return switch (kind) {
                case CLOSED, DROPPED -> "≤ " + number(bytes);
                case ECHOED -> number(bytes) + " (all)";
                case STILL_READING, SILENT -> "≥ " + number(bytes) + " (no close)";
                case NOT_MEASURED -> "—";
            };
        }

        @Override
        public String toString() {
            return closeCell() + (kind == Kind.CLOSED ? " " + reasonCell() : "") + ", " + bytesCell() + " B, "
                    + String.format(Locale.ROOT, "%.1f s", seconds);
        }
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

}
