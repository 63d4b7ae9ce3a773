package org.sizeguard.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.sizeguard.SendBacklogException;
import org.sizeguard.SizeguardCloseException;

/**
 * The sends of one session, bounded. Every message goes through the container's asynchronous remote, one at a time
 * and in order, so no thread ever blocks on a client that does not read; what waits is queued here, reserved against
 * the server-wide {@link MemoryBudget}, and capped per session by bytes ({@code sizeguard.max-outbound-buffered-bytes})
 * and by time ({@code sizeguard.send-timeout}, checked by {@link #checkTimeout}). A send that would exceed the cap, or
 * one pending too long, ends the session with 1008 through the rejection path and fails with
 * {@link SendBacklogException}; sends still queued when the session closes fail with an {@link IOException}.
 * <p>
 * Sizes: text counts two bytes per char (what the queued {@code String} may hold), binary its bytes (a
 * {@code ByteBuffer} is copied, since the container may reuse the one it delivered); an object the container encodes
 * counts 0 bytes, but its send is timed, and no session queues more than {@value #MAX_QUEUED_MESSAGES} messages of
 * any kind. Thread-safe.
 */
final class Outbound {

    /** The most messages one session may have waiting behind the one in flight, whatever their size. */
    static final int MAX_QUEUED_MESSAGES = 1024;

    private final RemoteEndpoint.Async remote;
    private final long maxBytes;
    private final Duration timeout;
    private final MemoryBudget budget;
    private final LiveStats stats;
    private final Consumer<SizeguardCloseException> endSession;
    private final Runnable sendFailed;

    // Guarded by this.
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedBytes;
    private Pending inFlight;
    private long inFlightSinceNanos;
    private boolean draining;
    private boolean closed;
    /** When a send was last handed to the container or completed, for the idle timeout. */
    private volatile long lastActivityNanos = System.nanoTime();

    private record Pending(Object message, long size, CompletableFuture<Void> done) {
    }

    /**
     * @param endSession rejects the session (the one rejection path)
     * @param sendFailed told when the container could not write a message: the connection is most likely gone
     */
    Outbound(RemoteEndpoint.Async remote, long maxBytes, Duration timeout, MemoryBudget budget, LiveStats stats,
            Consumer<SizeguardCloseException> endSession, Runnable sendFailed) {
        this.remote = remote;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.budget = budget;
        this.stats = stats;
        this.endSession = endSession;
        this.sendFailed = sendFailed;
    }

    Outbound(RemoteEndpoint.Async remote, long maxBytes, Duration timeout, MemoryBudget budget, LiveStats stats,
            Consumer<SizeguardCloseException> endSession) {
        this(remote, maxBytes, timeout, budget, stats, endSession, () -> { });
    }

    /**
     * Queues {@code message} ({@code String}, {@code ByteBuffer}, {@code byte[]} or an object the container's
     * encoders send) and returns at once.
     *
     * @return completes when the container has written the message; fails with {@link SendBacklogException} (the
     *         session is then closed with 1008), {@link org.sizeguard.BudgetExhaustedException} (1013), or an
     *         {@link IOException} if the session is closed or the container could not send
     */
    CompletableFuture<Void> send(Object message) {
        Object queued = message instanceof ByteBuffer buffer ? copy(buffer) : message;
        long size = sizeOf(queued);
        CompletableFuture<Void> done = new CompletableFuture<>();
        SizeguardCloseException refusal = null;
        synchronized (this) {
            if (closed) {
                stats.sendRefused();
                done.completeExceptionally(new IOException("the session is closed"));
                return done;
            }
            if (queuedBytes + size > maxBytes) {
                refusal = SendBacklogException.queueFull(maxBytes);
            } else if (queue.size() >= MAX_QUEUED_MESSAGES) {
                refusal = SendBacklogException.tooManyQueued(MAX_QUEUED_MESSAGES);
            } else {
                try {
                    budget.reserve(size);
                    queuedBytes += size;
                    queue.add(new Pending(queued, size, done));
                    stats.sendQueued();
                } catch (SizeguardCloseException budgetSpent) {
                    refusal = budgetSpent;
                }
            }
        }
        if (refusal != null) {
            stats.sendRefused();
            done.completeExceptionally(refusal);
            endSession.accept(refusal);
            return done;
        }
        drain();
        return done;
    }

    /** Hands queued messages to the container, one at a time; one thread drains, the others leave it to it. */
    private void drain() {
        while (true) {
            Pending next;
            synchronized (this) {
                if (draining || inFlight != null || queue.isEmpty() || closed) {
                    return;
                }
                next = queue.poll();
                inFlight = next;
                inFlightSinceNanos = System.nanoTime();
                draining = true;
            }
            try {
                transmit(next, result -> completed(next, result.isOK() ? null : result.getException()));
            } catch (RuntimeException notSent) {
                // The container refused the send itself (e.g. the session closed under it).
                completed(next, notSent);
            } finally {
                synchronized (this) {
                    draining = false;
                }
            }
        }
    }

    private void transmit(Pending pending, SendHandler handler) {
        lastActivityNanos = System.nanoTime();
        Object message = pending.message();
        if (message instanceof String text) {
            remote.sendText(text, handler);
        } else if (message instanceof ByteBuffer buffer) {
            remote.sendBinary(buffer, handler);
        } else if (message instanceof byte[] bytes) {
            remote.sendBinary(ByteBuffer.wrap(bytes), handler);
        } else {
            remote.sendObject(message, handler);
        }
    }

    /** The container is done with {@code pending}: on its thread, possibly within {@code transmit}. */
    private void completed(Pending pending, Throwable failure) {
        lastActivityNanos = System.nanoTime();
        synchronized (this) {
            if (inFlight != pending) {
                return;
            }
            inFlight = null;
            queuedBytes -= pending.size();
            budget.release(pending.size());
        }
        stats.sendDone(failure != null);
        if (failure == null) {
            pending.done().complete(null);
        } else {
            pending.done().completeExceptionally(failure);
            sendFailed.run();
        }
        drain();
    }

    /**
     * Called periodically (off the container's threads): ends the session if its send in flight has been pending
     * for longer than the send timeout.
     */
    void checkTimeout(long nowNanos) {
        if (timeout.isZero()) {
            return;
        }
        synchronized (this) {
            if (closed || inFlight == null || nowNanos - inFlightSinceNanos < timeout.toNanos()) {
                return;
            }
        }
        endSession.accept(SendBacklogException.timedOut(timeout));
    }

    /** Completes (never exceptionally) once every message queued so far has been written or has failed. */
    synchronized CompletableFuture<Void> drained() {
        Pending last = queue.isEmpty() ? inFlight : queue.peekLast();
        return last == null ? CompletableFuture.completedFuture(null) : last.done().handle((sent, failure) -> null);
    }

    /** When a send was last handed to the container or completed ({@link System#nanoTime()}). */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** Messages and bytes queued or in flight now. */
    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** The session has closed: every send not yet written fails, and what they held is released. */
    void close() {
        ArrayDeque<Pending> failed = new ArrayDeque<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            failed.addAll(queue);
            queue.clear();
            if (inFlight != null) {
                failed.add(inFlight);
                inFlight = null;
            }
            budget.release(queuedBytes);
            queuedBytes = 0;
        }
        for (Pending pending : failed) {
            stats.sendDone(true);
            pending.done().completeExceptionally(new IOException("the session closed before the message was sent"));
        }
    }

    private static long sizeOf(Object message) {
        if (message instanceof String text) {
            return 2L * text.length();
        }
        if (message instanceof ByteBuffer buffer) {
            return buffer.remaining();
        }
        if (message instanceof byte[] bytes) {
            return bytes.length;
        }
        return 0;
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }
}
