package org.sizeguard.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sizeguard.MessageIncompleteException;
import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * The messages of one kind arriving on one session: counts each part against the limit before anything else
 * happens to it, then either keeps it to deliver the whole message, passes it on to a method that takes parts,
 * or feeds it to a method reading the message as a stream on one of Sizeguard's stream threads. Each message that
 * spans parts has a completion deadline from its first byte.
 * <p>
 * Threads: parts arrive on the container's thread, one at a time per session; deadlines expire on an expiry thread
 * and {@link #close} may come from any. The monitor guards the message's state only: it is never held while the
 * endpoint runs or while a part waits for a stream reader, and every such wait ends at the message's deadline (or
 * after {@link #MAX_STALL} where there is none) or as soon as the session closes.
 */
final class Inbound {

    /** Longest wait for a stream reader when the policy sets no completion deadline. */
    static final Duration MAX_STALL = Duration.ofSeconds(30);

    /** How much longer than the message's deadline a stream reader waits for a part. */
    private static final long READER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the endpoint does with a message once Sizeguard lets it through. */
    interface Endpoint {
        /** Calls the endpoint's method with {@code payload}. */
        void deliver(MessageMethod method, Object payload, boolean last);

        /** The argument for a method that takes the whole message: decoded, converted or as it is. */
        Object wholePayload(MessageMethod method, Object message);

        /** The argument for a method that reads the message from {@code pipe}; may decode (and block) first. */
        Object streamPayload(MessageMethod method, PartPipe pipe);

        /** Ends the session through the one rejection path. */
        void reject(MessageKind kind, long observedBytes, SizeguardCloseException rejection);
    }

    private final MessageKind kind;
    private final MessageMethod method;
    private final Duration timeout;
    private final Endpoint endpoint;
    private final GuardRuntime runtime;
    private final MessageAssembler<String> text;
    private final MessageAssembler<ByteBuffer> binary;
    /** Completes when the session ends: wakes a part waiting for the previous message's reader. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    // Guarded by this.
    private boolean inProgress;
    private ScheduledFuture<?> deadline;
    private long deadlineNanos = Long.MAX_VALUE;
    /** Counts messages, so that a deadline that fires late never ends a message after its own. */
    private long messageNumber;
    private boolean closed;
    /** The pipe of the streamed message in progress; volatile so {@link #close} fails it without the monitor. */
    private volatile PartPipe pipe;
    /** Completes when the reader of the last streamed message has returned. */
    private volatile CompletableFuture<Void> reading = CompletableFuture.completedFuture(null);

    Inbound(MessageKind kind, MessageMethod method, long limit, Duration timeout, Endpoint endpoint,
            GuardRuntime runtime) {
        this.kind = kind;
        this.method = method;
        this.timeout = timeout;
        this.endpoint = endpoint;
        this.runtime = runtime;
        this.text = kind == MessageKind.TEXT ? MessageAssembler.text(limit, runtime.budget()) : null;
        this.binary = kind == MessageKind.BINARY ? MessageAssembler.binary(limit, runtime.budget()) : null;
    }

    /** The first bytes of a message have arrived (seen by the frame relay before the container delivers them). */
    synchronized void messageStarted() {
        if (!closed && !inProgress) {
            start();
        }
    }

    /** One part of a message, {@code String} for text or {@code ByteBuffer} for binary, from the container. */
    void part(Object part, boolean last) {
        Object whole;
        long receivedBefore;
        synchronized (this) {
            if (closed) {
                return;
            }
            // A message that arrives whole in one part needs no timer of its own: the common small message costs none.
            if (!inProgress && !last) {
                start();
            }
            receivedBefore = received();
            try {
                whole = kind == MessageKind.TEXT ? text.append((String) part, last, keepsWhole())
                        : binary.append((ByteBuffer) part, last, keepsWhole());
            } catch (SizeguardCloseException refused) {
                whole = refused;
            }
            if (last && !(whole instanceof SizeguardCloseException)) {
                finish();
                deadlineNanos = Long.MAX_VALUE;
            }
        }
        if (whole instanceof SizeguardCloseException refused) {
            endpoint.reject(kind, receivedBefore + size(part), refused);
        } else if (method.partial()) {
            endpoint.deliver(method, part, last);
        } else if (method.streamed()) {
            if (last && pipe == null) {
                // The whole message came in one part, already held by the container: the method reads it here, on
                // this thread, with no stream slot and no thread hop (a reader of a message still to come would).
                if (awaitPreviousReader()) {
                    deliverWhole(part);
                }
            } else {
                stream(part, last);
            }
        } else if (whole != null) {
            deliverWhole(whole);
        }
    }

    private boolean keepsWhole() {
        return !method.incremental();
    }

    /** Bytes of {@code part}, for the rejection's record. */
    private static long size(Object part) {
        return part instanceof String s ? Utf8.encodedLength(s) : ((ByteBuffer) part).remaining();
    }

    private void deliverWhole(Object whole) {
        Object payload;
        try {
            payload = endpoint.wholePayload(method, whole);
        } catch (SizeguardCloseException undecodable) {
            endpoint.reject(kind, size(whole), undecodable);
            return;
        }
        endpoint.deliver(method, payload, true);
    }

    private void stream(Object part, boolean last) {
        PartPipe current = pipe;
        if (current == null) {
            current = startReader();
            if (current == null) {
                return;
            }
        }
        Object copy = part instanceof String ? part : bytes((ByteBuffer) part);
        try {
            if (!current.put(copy, waitMillis())) {
                expired();
                return;
            }
        } catch (SizeguardCloseException budgetSpent) {
            endpoint.reject(kind, received(), budgetSpent);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            expired();
            return;
        }
        if (last) {
            current.end();
            pipe = null;
        }
    }

    /**
     * Waits (bounded) for the previous message's reader, then takes a stream slot and starts this message's reader.
     *
     * @return the new reader's pipe, or {@code null} if the session ends instead
     */
    private PartPipe startReader() {
        if (!awaitPreviousReader()) {
            return null;
        }
        PartPipe next;
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return null;
            }
            // The reader's own deadline is a safety net behind the message's: the timer ends the message (1008)
            // first, and the reader must not see a timeout of its own before that (it would read as undecodable).
            long readerDeadline = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos + READER_GRACE_NANOS;
            next = new PartPipe(runtime.budget(), readerDeadline);
            pipe = next;
            reading = done;
        }
        PartPipe reader = next;
        try {
            runtime.streams().start(() -> {
                try {
                    endpoint.deliver(method, endpoint.streamPayload(method, reader), true);
                } catch (SizeguardCloseException undecodable) {
                    endpoint.reject(kind, 0, undecodable);
                } finally {
                    reader.discard();
                    done.complete(null);
                }
            });
        } catch (SizeguardCloseException noSlot) {
            done.complete(null);
            endpoint.reject(kind, received(), noSlot);
            return null;
        }
        return next;
    }

    /**
     * Messages of a session are read one after the other: the next waits for the previous reader, at most until
     * its own deadline, and no longer than the session lasts.
     *
     * @return whether the previous reader is done and the session still open
     */
    private boolean awaitPreviousReader() {
        CompletableFuture<Void> previous = reading;
        if (previous.isDone()) {
            return true;
        }
        try {
            CompletableFuture.anyOf(previous, ended).get(Math.max(1, waitMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slowReader) {
            expired();
            return false;
        } catch (ExecutionException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            expired();
            return false;
        }
        return previous.isDone() && !ended.isDone();
    }

    /** How long a part may wait for the reader: until the message's deadline, or {@link #MAX_STALL}. */
    private long waitMillis() {
        long deadlineAt;
        synchronized (this) {
            deadlineAt = deadlineNanos;
        }
        if (deadlineAt == Long.MAX_VALUE) {
            return MAX_STALL.toMillis();
        }
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineAt - System.nanoTime()));
    }

    private void expired() {
        endpoint.reject(kind, received(), new MessageIncompleteException(kind, timeout.isZero() ? MAX_STALL : timeout));
    }

    private synchronized long received() {
        return kind == MessageKind.TEXT ? text.received() : binary.received();
    }

    private void start() {
        inProgress = true;
        long number = ++messageNumber;
        runtime.stats().messageStarted();
        if (!timeout.isZero()) {
            deadlineNanos = System.nanoTime() + timeout.toNanos();
            deadline = runtime.afterDelay(() -> deadlinePassed(number), timeout.toMillis());
        }
    }

    private void finish() {
        if (inProgress) {
            inProgress = false;
            runtime.stats().messageEnded();
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }
    }

    /** On an expiry thread. */
    private void deadlinePassed(long number) {
        long received;
        synchronized (this) {
            if (!inProgress || closed || number != messageNumber) {
                return;
            }
            received = received();
        }
        endpoint.reject(kind, received, new MessageIncompleteException(kind, timeout));
    }

    /**
     * The session is ending (rejected or closed): releases what is held, cancels the deadline, and makes a
     * stream reader's next read fail with {@code why}. Wakes a part waiting for a reader or for room in a pipe.
     */
    void close(String why) {
        PartPipe reader = pipe;
        if (reader != null) {
            reader.fail(new IOException(why));
        }
        ended.complete(null);
        synchronized (this) {
            closed = true;
            finish();
            deadlineNanos = Long.MAX_VALUE;
            if (text != null) {
                text.release();
            }
            if (binary != null) {
                binary.release();
            }
            if (pipe != null) {
                pipe.fail(new IOException(why));
                pipe = null;
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
