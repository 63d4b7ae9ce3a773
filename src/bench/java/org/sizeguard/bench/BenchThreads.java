package org.sizeguard.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Daemon threads for the benchmark's blocking side tasks (a sender, a reader waiting for a message). Not the common
 * pool: on two cores it has one thread, and one blocked task would hold up the next.
 */
final class BenchThreads {

    static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "bench-client");
        thread.setDaemon(true);
        return thread;
    });

    private BenchThreads() {
    }
}
