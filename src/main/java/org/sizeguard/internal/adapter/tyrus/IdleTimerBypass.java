package org.sizeguard.internal.adapter.tyrus;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stops Tyrus rescheduling an idle timer that does nothing. Tyrus 2.1 restarts a session's idle timer on every frame
 * it reads and every message it sends, whatever the timeout, by scheduling a task on the session's scheduler; on
 * Payara that is the managed scheduled executor, which captures the thread's context for each task through a
 * {@code ServiceLoader} lookup over the whole class path. Measured with JFR under a 1 GiB upload in 64 KiB fragments
 * (16,384 restarts per GiB), that lookup was most of the CPU time of the reading threads.
 * <p>
 * Where Sizeguard keeps a session's idle timeout itself, Tyrus's is 0, and its idle task (scheduled with the
 * timeout as its delay) then does nothing when it runs. This scheduler stands in for the session's: such a task
 * (delay ≤ 0) is not scheduled at all, and everything else (a heartbeat, an idle timeout the container still keeps)
 * goes to the original scheduler unchanged. Installed per session by {@link #install}; thread-safe.
 */
final class IdleTimerBypass implements ScheduledExecutorService {

    private static final Logger LOG = Logger.getLogger(IdleTimerBypass.class.getName());

    /** The name Tyrus's idle task class ends with ({@code TyrusSession$IdleTimeoutCommand}). */
    static final String IDLE_TASK = "$IdleTimeoutCommand";

    /** The field of Tyrus's session that holds its scheduler. */
    private static final String SCHEDULER_FIELD = "service";

    private final ScheduledExecutorService scheduler;

    IdleTimerBypass(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Puts a bypass in front of the scheduler of {@code session} (the container's {@code Session}), if it is Tyrus's
     * session as this adapter knows it;
     * otherwise leaves it as it is (and says so at FINE): the timer then costs what it costs, nothing breaks.
     */
    static void install(Object session) {
        try {
            Field field = schedulerField(session.getClass());
            if (field == null) {
                LOG.fine(() -> session.getClass().getName() + " has no scheduler field; its idle timer stays as it is");
                return;
            }
            field.setAccessible(true);
            Object current = field.get(session);
            if (current instanceof ScheduledExecutorService original && !(current instanceof IdleTimerBypass)) {
                field.set(session, new IdleTimerBypass(original));
            }
        } catch (ReflectiveOperationException | RuntimeException unexpected) {
            LOG.log(Level.FINE, "cannot bypass the idle timer of " + session.getClass().getName(), unexpected);
        }
    }

    private static Field schedulerField(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(SCHEDULER_FIELD);
                return ScheduledExecutorService.class.isAssignableFrom(field.getType()) ? field : null;
            } catch (NoSuchFieldException notHere) {
                // Look further up.
            }
        }
        return null;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (delay <= 0 && command.getClass().getName().endsWith(IDLE_TASK)) {
            return NotScheduled.INSTANCE;
        }
        return scheduler.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return scheduler.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduler.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduler.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
        scheduler.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return scheduler.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return scheduler.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return scheduler.awaitTermination(timeout, unit);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return scheduler.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return scheduler.submit(task, result);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return scheduler.submit(task);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return scheduler.invokeAll(tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return scheduler.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return scheduler.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return scheduler.invokeAny(tasks, timeout, unit);
    }

    @Override
    public void execute(Runnable command) {
        scheduler.execute(command);
    }

    /** The future of a task that was never scheduled: cancelled, as if its timer had been stopped. */
    private static final class NotScheduled implements ScheduledFuture<Object> {
        static final NotScheduled INSTANCE = new NotScheduled();

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return true;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            throw new java.util.concurrent.CancellationException("never scheduled");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return get();
        }
    }
}
