package org.sizeguard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the server's heap in use after {@code System.gc()} ({@code GET <context>/bench/heap}): once for the
 * baseline, then every {@link #EVERY} from its own thread while a transfer runs, keeping the maximum.
 * Approximate: a sample is what survives a full collection at that moment, and the collections slow the transfer.
 */
final class HeapSampler implements AutoCloseable {

    static final Duration EVERY = Duration.ofMillis(100);
    private static final Pattern USED = Pattern.compile("used=(\\d+)");

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "heap-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong max = new AtomicLong(-1);
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicReference<String> lastLine = new AtomicReference<>("");
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    HeapSampler(URI uri) {
        this.uri = uri;
    }

    /** One sample now: bytes in use after a full collection. */
    long sample() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher used = USED.matcher(response.body());
        if (response.statusCode() != 200 || !used.find()) {
            throw new IllegalStateException("GET " + uri + ": " + response.statusCode() + " " + response.body());
        }
        lastLine.set(response.body().trim());
        return Long.parseLong(used.group(1));
    }

    /** Starts sampling every {@link #EVERY} (one request at a time) until {@link #close()}. */
    HeapSampler start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                long used = sample();
                samples.incrementAndGet();
                max.accumulateAndGet(used, Math::max);
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    long max() {
        return max.get();
    }

    int samples() {
        return samples.get();
    }

    /** The servlet's last answer (collector names, whether explicit GC is disabled). */
    String lastLine() {
        return lastLine.get();
    }

    Exception failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        if (!timer.awaitTermination(60, TimeUnit.SECONDS)) {
            timer.shutdownNow();
        }
    }
}
