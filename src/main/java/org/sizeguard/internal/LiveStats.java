package org.sizeguard.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
    private final TransferCounts transfers;
    private final Map<Integer, LongAdder> rejections = new ConcurrentHashMap<>();
    private final LongAdder inflatedBytes = new LongAdder();
    /** By path template, sorted: one entry per guarded endpoint, made at deployment. */
    private final Map<String, EndpointCounters> endpoints = new ConcurrentSkipListMap<>();

    /** What {@link LiveStats} reads of the application's chunked transfers where they are kept. */
    interface TransferCounts {
        /** Transfers without any (a runtime that takes none, tests). */
        TransferCounts NONE = new TransferCounts() {
        };

        default long active() {
            return 0;
        }

        default long spillBytes() {
            return 0;
        }

        default long completed() {
            return 0;
        }

        default long resumed() {
            return 0;
        }

        default long failed() {
            return 0;
        }

        default long cancelled() {
            return 0;
        }
    }

    /** Stats without transfers (tests). */
    LiveStats(LongSupplier reservedBytes, long budgetBytes, IntSupplier activeStreams, int streamSlots) {
        this(reservedBytes, budgetBytes, activeStreams, streamSlots, TransferCounts.NONE);
    }

    /**
     * @param reservedBytes   bytes reserved against the server-wide budget now
     * @param budgetBytes     the budget
     * @param activeStreams   stream reader slots taken now
     * @param streamSlots     the stream reader slots
     * @param transfers       the chunked transfers' counts
     */
    LiveStats(LongSupplier reservedBytes, long budgetBytes, IntSupplier activeStreams, int streamSlots,
            TransferCounts transfers) {
        this.reservedBytes = reservedBytes;
        this.budgetBytes = budgetBytes;
        this.activeStreams = activeStreams;
        this.streamSlots = streamSlots;
        this.transfers = transfers;
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
        return transfers.active();
    }

    @Override
    public long spillBytes() {
        return transfers.spillBytes();
    }

    @Override
    public long completedTransfers() {
        return transfers.completed();
    }

    @Override
    public long resumedTransfers() {
        return transfers.resumed();
    }

    @Override
    public long failedTransfers() {
        return transfers.failed();
    }

    @Override
    public long cancelledTransfers() {
        return transfers.cancelled();
    }

    @Override
    public long inflatedBytes() {
        return inflatedBytes.sum();
    }

    @Override
    public List<EndpointCounts> endpoints() {
        return endpoints.values().stream().map(EndpointCounters::snapshot).toList();
    }

    /** The counters of the endpoint at {@code path}, made on first use (at deployment). */
    EndpointCounters endpoint(String path) {
        return endpoints.computeIfAbsent(path, EndpointCounters::new);
    }

    /** The endpoints' counters as they are, for meters that read them live. */
    Collection<EndpointCounters> endpointCounters() {
        return endpoints.values();
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

    /** A session of {@code endpoint} was closed with {@code closeCode}. */
    void rejected(EndpointCounters endpoint, int closeCode) {
        rejections.computeIfAbsent(closeCode, code -> new LongAdder()).increment();
        endpoint.refused(closeCode);
    }

    /** {@code bytes} more were inflated. */
    void inflated(long bytes) {
        inflatedBytes.add(bytes);
    }
}
