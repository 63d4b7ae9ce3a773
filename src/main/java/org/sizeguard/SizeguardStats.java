package org.sizeguard;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counts of what Sizeguard holds for the guarded sessions of one application, so that operators (and tests)
 * can see that a rejected or closed session leaves nothing behind. Thread-safe; all counts are gauges except the
 * rejection counters. Available through CDI ({@code @Inject SizeguardStats}) and as JSON at
 * {@code /sizeguard/stats} in Sizeguard's WAR.
 */
public final class SizeguardStats {

    private static volatile SizeguardStats current;

    private final AtomicLong openSessions = new AtomicLong();
    private final AtomicLong messagesInProgress = new AtomicLong();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong activeStreams = new AtomicLong();
    private final Map<Integer, LongAdder> rejections = new ConcurrentHashMap<>();

    /**
     * The counts of the application whose classes this class was loaded with (see {@link SizePolicies#current()}).
     *
     * @throws IllegalStateException before Sizeguard has initialised the application
     */
    public static SizeguardStats current() {
        SizeguardStats stats = current;
        if (stats == null) {
            throw new IllegalStateException("Sizeguard has not initialised this application (yet)");
        }
        return stats;
    }

    /** Makes {@code stats} the {@link #current()} ones, or forgets them with {@code null}. */
    public static void install(SizeguardStats stats) {
        current = stats;
    }

    /** Guarded sessions open now. */
    public long openSessions() {
        return openSessions.get();
    }

    /** Messages whose first part has arrived and whose last has not, each with a completion deadline pending. */
    public long messagesInProgress() {
        return messagesInProgress.get();
    }

    /** Bytes of incomplete messages held to be delivered whole (UTF-8 bytes for text). */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    /** Endpoint methods reading a message as a stream right now. */
    public long activeStreams() {
        return activeStreams.get();
    }

    /** Rejections so far, by close code. */
    public Map<Integer, Long> rejections() {
        Map<Integer, Long> counts = new TreeMap<>();
        rejections.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    public void sessionOpened() {
        openSessions.incrementAndGet();
    }

    public void sessionClosed() {
        openSessions.decrementAndGet();
    }

    public void messageStarted() {
        messagesInProgress.incrementAndGet();
    }

    public void messageEnded() {
        messagesInProgress.decrementAndGet();
    }

    public void buffered(long delta) {
        bufferedBytes.addAndGet(delta);
    }

    public void streamStarted() {
        activeStreams.incrementAndGet();
    }

    public void streamEnded() {
        activeStreams.decrementAndGet();
    }

    public void rejected(int closeCode) {
        rejections.computeIfAbsent(closeCode, code -> new LongAdder()).increment();
    }
}
