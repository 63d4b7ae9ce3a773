package org.sizeguard.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.sizeguard.SizeguardStats;

/**
 * The counters behind {@link SizeguardStats}: the sessions, messages and sends count themselves here, the budget and
 * the stream slots are read where they are kept. Thread-safe; every gauge returns to zero when its sessions end.
 */
final class LiveStats implements SizeguardStats {

    private final AtomicLong openSessions = new AtomicLong();
    private final AtomicLong messagesInProgress = new AtomicLong();
    private final AtomicLong queuedSends = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final LongSupplier reservedBytes;
    private final long budgetBytes;
    private final IntSupplier activeStreams;
    private final int streamSlots;
    private final LongSupplier activeTransfers;
    private final LongSupplier spillBytes;
    private final Map<Integer, LongAdder> rejections = new ConcurrentHashMap<>();

    /** Stats without transfers (tests). */
    LiveStats(LongSupplier reservedBytes, long budgetBytes, IntSupplier activeStreams, int streamSlots) {
        this(reservedBytes, budgetBytes, activeStreams, streamSlots, () -> 0, () -> 0);
    }

    /**
     * @param reservedBytes   bytes reserved against the server-wide budget now
     * @param budgetBytes     the budget
     * @param activeStreams   stream reader slots taken now
     * @param streamSlots     the stream reader slots
     * @param activeTransfers chunked transfers in progress now
     * @param spillBytes      spill space they have reserved
     */
    LiveStats(LongSupplier reservedBytes, long budgetBytes, IntSupplier activeStreams, int streamSlots,
            LongSupplier activeTransfers, LongSupplier spillBytes) {
        this.reservedBytes = reservedBytes;
        this.budgetBytes = budgetBytes;
        this.activeStreams = activeStreams;
        this.streamSlots = streamSlots;
        this.activeTransfers = activeTransfers;
        this.spillBytes = spillBytes;
    }

    @Override
    public long openSessions() {
        return openSessions.get();
    }

    @Override
    public long messagesInProgress() {
        return messagesInProgress.get();
    }

    @Override
    public long bufferedBytes() {
        return reservedBytes.getAsLong();
    }

    @Override
    public long budgetBytes() {
        return budgetBytes;
    }

    @Override
    public long activeStreams() {
        return activeStreams.getAsInt();
    }

    @Override
    public int streamSlots() {
        return streamSlots;
    }

    @Override
    public long activeTransfers() {
        return activeTransfers.getAsLong();
    }

    @Override
    public long spillBytes() {
        return spillBytes.getAsLong();
    }

    @Override
    public long queuedSends() {
        return queuedSends.get();
    }

    @Override
    public long failedSends() {
        return failedSends.get();
    }

    @Override
    public Map<Integer, Long> rejections() {
        Map<Integer, Long> counts = new TreeMap<>();
        rejections.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    void sessionOpened() {
        openSessions.incrementAndGet();
    }

    void sessionClosed() {
        openSessions.decrementAndGet();
    }

    void messageStarted() {
        messagesInProgress.incrementAndGet();
    }

    void messageEnded() {
        messagesInProgress.decrementAndGet();
    }

    void sendQueued() {
        queuedSends.incrementAndGet();
    }

    /** A queued send was written ({@code failed} false) or could not be. */
    void sendDone(boolean failed) {
        queuedSends.decrementAndGet();
        if (failed) {
            failedSends.incrementAndGet();
        }
    }

    /** A send was refused before it was queued. */
    void sendRefused() {
        failedSends.incrementAndGet();
    }

    void rejected(int closeCode) {
        rejections.computeIfAbsent(closeCode, code -> new LongAdder()).increment();
    }
}
