package org.sizeguard;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

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
    private final AtomicLong queuedSends = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final LongSupplier reservedBytes;
    private final long budgetBytes;
    private final IntSupplier activeStreams;
    private final int streamSlots;
    private final Map<Integer, LongAdder> rejections = new ConcurrentHashMap<>();

    /**
     * Counts that read the memory budget and the stream slots where they are kept.
     *
     * @param reservedBytes bytes reserved against the server-wide budget now
     * @param budgetBytes   the budget
     * @param activeStreams stream reader slots taken now
     * @param streamSlots   the stream reader slots
     */
    public SizeguardStats(LongSupplier reservedBytes, long budgetBytes, IntSupplier activeStreams, int streamSlots) {
        this.reservedBytes = reservedBytes;
        this.budgetBytes = budgetBytes;
        this.activeStreams = activeStreams;
        this.streamSlots = streamSlots;
    }

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

    /**
     * Bytes Sizeguard holds now for messages in progress and queued sends, as reserved against the server-wide
     * budget: the capacity of assembly buffers (two bytes per char for text), parts queued for stream readers,
     * replies not yet written.
     */
    public long bufferedBytes() {
        return reservedBytes.getAsLong();
    }

    /** The server-wide budget of {@link #bufferedBytes()} ({@code sizeguard.max-buffered-bytes}). */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** Endpoint methods reading a message as a stream right now, each holding one stream slot. */
    public long activeStreams() {
        return activeStreams.getAsInt();
    }

    /** The stream reader slots ({@code sizeguard.max-concurrent-streams}). */
    public int streamSlots() {
        return streamSlots;
    }

    /** Messages handed to the container to send and not yet written, over all sessions. */
    public long queuedSends() {
        return queuedSends.get();
    }

    /** Sends that failed or were refused so far (a client that stopped reading, a closed session). */
    public long failedSends() {
        return failedSends.get();
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

    public void sendQueued() {
        queuedSends.incrementAndGet();
    }

    public void sendDone(boolean failed) {
        queuedSends.decrementAndGet();
        if (failed) {
            failedSends.incrementAndGet();
        }
    }

    public void sendRefused() {
        failedSends.incrementAndGet();
    }

    public void rejected(int closeCode) {
        rejections.computeIfAbsent(closeCode, code -> new LongAdder()).increment();
    }
}
