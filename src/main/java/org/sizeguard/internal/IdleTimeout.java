package org.sizeguard.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import jakarta.websocket.Session;

/**
 * A session's idle timeout ({@link Session#setMaxIdleTimeout}), kept by the container or, where the adapter sees the
 * connection, by Sizeguard. Tyrus restarts its idle timer on every frame it reads or writes, and on Payara each
 * restart schedules a task on the managed executor, which looks context providers up through the class path under
 * a lock shared by all threads: with many connections sending at once, most of their time went there. Where
 * Sizeguard keeps the timeout, the container's is set to 0 and the periodic check ends a session idle for longer
 * with 1001 (GOING_AWAY), as containers do. Activity is anything read from the connection (data, pings, pongs)
 * and anything sent. Thread-safe.
 */
final class IdleTimeout {

    private final Session session;
    /** When the session was last active ({@link System#nanoTime()}); null if the container keeps the timeout. */
    private final LongSupplier lastActivityNanos;
    private volatile long millis;

    private IdleTimeout(Session session, LongSupplier lastActivityNanos, long millis) {
        this.session = session;
        this.lastActivityNanos = lastActivityNanos;
        this.millis = millis;
    }

    /** The container keeps the timeout: reads and writes go to the container's session. */
    static IdleTimeout containers(Session session) {
        return new IdleTimeout(session, null, 0);
    }

    /**
     * Sizeguard keeps the timeout from now on, starting from the container's; the container's is set to 0.
     *
     * @param lastActivityNanos when input last arrived or a send last went out
     */
    static IdleTimeout kept(Session session, LongSupplier lastActivityNanos) {
        long configured = session.getMaxIdleTimeout();
        if (configured > 0) {
            session.setMaxIdleTimeout(0);
        }
        return new IdleTimeout(session, lastActivityNanos, Math.max(0, configured));
    }

    /** The timeout in milliseconds, 0 for none. */
    long get() {
        return lastActivityNanos == null ? session.getMaxIdleTimeout() : millis;
    }

    void set(long milliseconds) {
        if (lastActivityNanos == null) {
            session.setMaxIdleTimeout(milliseconds);
        } else {
            millis = Math.max(0, milliseconds);
        }
    }

    /** Whether Sizeguard keeps the timeout and the session has been idle for longer than it at {@code nowNanos}. */
    boolean expired(long nowNanos) {
        long timeout = millis;
        if (lastActivityNanos == null || timeout <= 0) {
            return false;
        }
        return nowNanos - lastActivityNanos.getAsLong() > TimeUnit.MILLISECONDS.toNanos(timeout);
    }
}
