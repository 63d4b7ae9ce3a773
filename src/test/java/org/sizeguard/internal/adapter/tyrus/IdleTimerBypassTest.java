package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleTimerBypassTest {

    /** Records what reaches the real scheduler. */
    private final List<Runnable> scheduled = new CopyOnWriteArrayList<>();
    private final ScheduledThreadPoolExecutor real = new ScheduledThreadPoolExecutor(1) {
        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.add(command);
            return super.schedule(command, delay, unit);
        }
    };

    /** Shaped like Tyrus's session: the scheduler in a private field called {@code service}. */
    static final class TyrusLikeSession {
        private ScheduledExecutorService service;

        TyrusLikeSession(ScheduledExecutorService service) {
            this.service = service;
        }

        /** What Tyrus does on every frame: schedule its idle task with the timeout as the delay. */
        ScheduledFuture<?> restartIdleTimer(long timeoutMillis) {
            return service.schedule(new IdleTimeoutCommand(), timeoutMillis, TimeUnit.MILLISECONDS);
        }

        final class IdleTimeoutCommand implements Runnable {
            @Override
            public void run() {
                // Tyrus's does nothing when the timeout is 0.
            }
        }
    }

    @AfterEach
    void stop() {
        real.shutdownNow();
    }

    @Test
    void anIdleTaskForATimeoutOfZeroIsNeverScheduledAndReadsAsCancelled() {
        TyrusLikeSession session = new TyrusLikeSession(real);

        IdleTimerBypass.install(session);
        ScheduledFuture<?> idle = session.restartIdleTimer(0);

        assertThat(scheduled).isEmpty();
        assertThat(idle.isCancelled()).isTrue();
        assertThat(idle.isDone()).isTrue();
    }

    @Test
    void anIdleTimeoutTheContainerStillKeepsAndEveryOtherTaskReachTheRealScheduler() {
        TyrusLikeSession session = new TyrusLikeSession(real);
        IdleTimerBypass.install(session);

        session.restartIdleTimer(30_000);
        Runnable other = () -> { };
        session.service.schedule(other, 0, TimeUnit.MILLISECONDS);

        assertThat(scheduled).hasSize(2).contains(other);
    }

    @Test
    void installsOnceAndLeavesASessionWithoutTheFieldAsItIs() {
        TyrusLikeSession session = new TyrusLikeSession(real);
        IdleTimerBypass.install(session);
        ScheduledExecutorService bypass = session.service;

        IdleTimerBypass.install(session);
        IdleTimerBypass.install(new Object());

        assertThat(bypass).isInstanceOf(IdleTimerBypass.class);
        assertThat(session.service).isSameAs(bypass);
    }
}
