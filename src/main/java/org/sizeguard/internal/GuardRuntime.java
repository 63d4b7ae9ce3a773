package org.sizeguard.internal;

import java.io.IOException;
import java.time.Clock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.sizeguard.internal.adapter.ContainerAdapter;
import org.sizeguard.internal.transfer.DirectoryTransferStore;
import org.sizeguard.internal.transfer.Transfers;

/**
 * What every guarded session of one application shares: the rejection path, the server-wide limits and the memory
 * budget, the stream reader slots, the timer of completion deadlines, the threads that carry out expiries, and the
 * live counts. Created when the application deploys, {@linkplain #shutdown() shut down} when it is undeployed.
 * <p>
 * The timer thread only hands work on: a deadline's consequences (the rejection, the CDI event, the close) run on
 * the expiry threads, so a slow observer cannot hold every other session's deadline up.
 */
final class GuardRuntime {

    private static final Logger LOG = Logger.getLogger(GuardRuntime.class.getName());

    /** Expiry threads: enough that one slow observer leaves others running, few enough to cost nothing idle. */
    private static final int EXPIRY_THREADS = 2;

    /**
     * Close threads: a close blocks at most until the session's release grace, when the connection is aborted
     * (Payara) or the container's own write timeout ends it; closes beyond these wait in line (one per session).
     */
    private static final int CLOSE_THREADS = 32;

    private final Rejections rejections;
    private final ServerLimits limits;
    private final MemoryBudget budget;
    private final StreamReaders streams;
    private final SessionAdmission admission;
    private final ScheduledThreadPoolExecutor deadlines;
    private final ExecutorService expiries;
    /** Where closes that may block (a client that does not read) are made, off the expiry and container threads. */
    private final ExecutorService closers;
    private final LiveStats stats;
    /** The open sessions, checked periodically (sends pending too long, sessions the container lost). */
    private final Set<Checked> watched = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean checkPending = new AtomicBoolean();
    /** The container's open guarded sessions and what their authors see of them. */
    private final java.util.Map<jakarta.websocket.Session, GuardedSession> sessions = new ConcurrentHashMap<>();

    /**
     * How long after a rejection the container has to report the session closed before Sizeguard releases it
     * itself: longer than the lingering close (2 s) and a close handshake on a slow network.
     */
    static final long CLOSE_GRACE_MILLIS = 15_000;

    private final long closeGraceMillis;
    private final ContainerAdapter adapter;
    private final Transfers transfers;

    /**
     * @param threadFactory makes the threads of stream readers and expiries (e.g. the server's managed one)
     * @param adapter       the server's adapter, chosen at start-up
     */
    GuardRuntime(Rejections rejections, ServerLimits limits, ThreadFactory threadFactory, ContainerAdapter adapter) {
        this(rejections, limits, threadFactory, CLOSE_GRACE_MILLIS, adapter);
    }

    GuardRuntime(Rejections rejections, ServerLimits limits, ThreadFactory threadFactory, long closeGraceMillis) {
        this(rejections, limits, threadFactory, closeGraceMillis, ContainerAdapter.PORTABLE);
    }

    private GuardRuntime(Rejections rejections, ServerLimits limits, ThreadFactory threadFactory,
            long closeGraceMillis, ContainerAdapter adapter) {
        this.adapter = adapter;
        this.closeGraceMillis = closeGraceMillis;
        this.rejections = rejections;
        this.limits = limits;
        this.budget = new MemoryBudget(limits.maxBufferedBytes());
        this.streams = new StreamReaders(limits.maxConcurrentStreams(), named(threadFactory, "sizeguard-stream"));
        this.deadlines = new ScheduledThreadPoolExecutor(1, named(threadFactory, "sizeguard-deadline"));
        this.deadlines.setRemoveOnCancelPolicy(true);
        this.expiries = new ThreadPoolExecutor(EXPIRY_THREADS, EXPIRY_THREADS, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named(threadFactory, "sizeguard-expiry"));
        this.admission = new SessionAdmission(limits.maxSessions(), limits.maxSessionsPerAddress());
        ThreadPoolExecutor closeThreads = new ThreadPoolExecutor(CLOSE_THREADS, CLOSE_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named(threadFactory, "sizeguard-close"));
        closeThreads.allowCoreThreadTimeOut(true);
        this.closers = closeThreads;
        this.transfers = new Transfers(new DirectoryTransferStore(limits.transferDirectory()), limits,
                Clock.systemUTC());
        this.stats = new LiveStats(budget::reserved, budget.limit(), streams::active, streams.slots(),
                new LiveStats.TransferCounts() {
                    @Override
                    public long active() {
                        return transfers.active();
                    }

                    @Override
                    public long spillBytes() {
                        return transfers.spillBytes();
                    }

                    @Override
                    public long completed() {
                        return transfers.ended(Transfers.Outcome.COMPLETED);
                    }

                    @Override
                    public long resumed() {
                        return transfers.resumed();
                    }

                    @Override
                    public long failed() {
                        return transfers.ended(Transfers.Outcome.FAILED) + transfers.ended(Transfers.Outcome.EXPIRED);
                    }

                    @Override
                    public long cancelled() {
                        return transfers.ended(Transfers.Outcome.CANCELLED);
                    }
                });
        long period = limits.sendTimeout().isZero() ? 1000
                : Math.max(50, Math.min(1000, limits.sendTimeout().toMillis() / 4));
        deadlines.scheduleWithFixedDelay(this::scheduleCheck, period, period, TimeUnit.MILLISECONDS);
    }

    /** Something of an open session that is checked periodically, on an expiry thread. */
    interface Checked {
        void check(long nowNanos);
    }

    /** {@code session} is checked periodically until it is {@linkplain #forget forgotten}. */
    void watch(Checked session) {
        watched.add(session);
    }

    void forget(Checked session) {
        watched.remove(session);
    }

    /** Makes {@code guarded} what {@link #guarded(jakarta.websocket.Session)} returns for its container session. */
    void opened(GuardedSession guarded) {
        sessions.put(guarded.container(), guarded);
    }

    void closed(GuardedSession guarded) {
        sessions.remove(guarded.container());
    }

    /** The guarded session of a container session, or the session itself if Sizeguard does not guard it. */
    jakarta.websocket.Session guarded(jakarta.websocket.Session session) {
        GuardedSession guarded = sessions.get(session);
        return guarded == null ? session : guarded;
    }

    private void scheduleCheck() {
        // One check at a time: checks must not pile up behind a slow expiry.
        if (checkPending.compareAndSet(false, true)) {
            expiries.execute(() -> {
                try {
                    long now = System.nanoTime();
                    watched.forEach(session -> session.check(now));
                    transfers.sweep();
                } finally {
                    checkPending.set(false);
                }
            });
        }
    }

    /** A runtime on plain daemon threads with the portable adapter (tests). */
    GuardRuntime(Rejections rejections, ServerLimits limits) {
        this(rejections, limits, daemonThreads(), ContainerAdapter.PORTABLE);
    }

    /** The server's adapter, which may see the connection under a session. */
    ContainerAdapter adapter() {
        return adapter;
    }

    /** See {@link #CLOSE_GRACE_MILLIS}. */
    long closeGraceMillis() {
        return closeGraceMillis;
    }

    Rejections rejections() {
        return rejections;
    }

    ServerLimits limits() {
        return limits;
    }

    MemoryBudget budget() {
        return budget;
    }

    StreamReaders streams() {
        return streams;
    }

    SessionAdmission admission() {
        return admission;
    }

    /** Schedules {@code expiry} to run on an expiry thread after {@code millis}. */
    java.util.concurrent.ScheduledFuture<?> afterDelay(Runnable expiry, long millis) {
        return deadlines.schedule(() -> expiries.execute(expiry), millis, TimeUnit.MILLISECONDS);
    }

    /** Whether {@link #shutdown()} has run. */
    boolean isShutDown() {
        return deadlines.isShutdown();
    }

    /** How many timed tasks are pending: deadlines, close graces and the periodic session check. */
    int scheduledTasks() {
        return deadlines.getQueue().size();
    }

    /**
     * Runs {@code close}, which may block on the container's write of a close frame, on a thread of its own, so that
     * a client that does not read holds up neither the expiry threads nor the container's.
     */
    void closeElsewhere(Runnable close) {
        try {
            closers.execute(close);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            close.run();
        }
    }

    LiveStats stats() {
        return stats;
    }

    /** The application's chunked transfers. */
    Transfers transfers() {
        return transfers;
    }

    /** Deletes what an earlier run left in the transfer directory (a crashed server), at start-up. */
    void clearTransfers() {
        try {
            transfers.clearStore();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "SIZEGUARD-012: cannot clear the transfer directory " + limits.transferDirectory(),
                    e);
        }
    }

    /** Stops every thread of the runtime; readers still running are interrupted. */
    void shutdown() {
        transfers.clear();
        deadlines.shutdownNow();
        expiries.shutdownNow();
        closers.shutdown();
        streams.shutdown();
    }

    private static ThreadFactory named(ThreadFactory factory, String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = factory.newThread(task);
            thread.setName(name + "-" + count.incrementAndGet());
            return thread;
        };
    }

    static ThreadFactory daemonThreads() {
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        return task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            // JSON-B and CDI look providers up through the context class loader: the application's.
            thread.setContextClassLoader(application);
            return thread;
        };
    }
}
