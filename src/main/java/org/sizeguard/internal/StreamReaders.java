package org.sizeguard.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.sizeguard.BudgetExhaustedException;

/**
 * The threads that run endpoint methods reading a message as a stream: Sizeguard's own, never the container's, so
 * a reader waiting for the next part holds no thread the server needs. Admission is by slot: at most
 * {@code slots} readers run at once, and a stream that finds none is refused at once ({@link #start} throws,
 * nothing is set up), never queued behind readers that may wait for their clients for a long time. Thread-safe.
 */
final class StreamReaders {

    /** Names the budget in 1013 reasons. */
    static final String NAME = "concurrent stream readers";

    private final int slots;
    private final Semaphore free;
    private final ExecutorService threads;

    StreamReaders(int slots, ThreadFactory threadFactory) {
        this.slots = slots;
        this.free = new Semaphore(slots);
        // No queue and no thread cap of its own: the slots bound the readers; a thread finishing its reader may
        // briefly coexist with the one that took its slot.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threadFactory);
    }

    /**
     * Runs {@code reader} on a thread of its own, holding a slot until it returns.
     *
     * @throws BudgetExhaustedException if every slot is taken; {@code reader} does not run
     */
    void start(Runnable reader) {
        if (!free.tryAcquire()) {
            throw new BudgetExhaustedException(NAME, slots);
        }
        try {
            threads.execute(() -> {
                try {
                    reader.run();
                } finally {
                    free.release();
                }
            });
        } catch (RuntimeException shutDown) {
            free.release();
            throw shutDown;
        }
    }

    /** Readers running now. */
    int active() {
        return slots - free.availablePermits();
    }

    int slots() {
        return slots;
    }

    /** Interrupts the readers and lets the threads go (the application is undeployed). */
    void shutdown() {
        threads.shutdownNow();
    }
}
