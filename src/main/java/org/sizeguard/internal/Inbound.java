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
import org.sizeguard.Utf8;
import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * The messages of one kind arriving on one session: counts each part against the limit before anything else
 * happens to it, then either keeps it to deliver the whole message, passes it on to a method that takes parts,
 * or feeds it to a method reading the message as a stream on another thread. Each message has a completion
 * deadline from its first byte.
 * <p>
 * Parts arrive on the container's thread, deadlines fire on the timer's; the methods are synchronized so the two
 * never overlap. A part waits for a stream reader at most until the message's deadline.
 */
final class Inbound {

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
    private final TextAssembler text;
    private final BinaryAssembler binary;

    private boolean inProgress;
    private ScheduledFuture<?> deadline;
    /** Volatile: {@link #close} fails it before taking the monitor that a part blocked in {@code put} holds. */
    private volatile PartPipe pipe;
    private CompletableFuture<Void> reading = CompletableFuture.completedFuture(null);
    private boolean closed;

    Inbound(MessageKind kind, MessageMethod method, long limit, Duration timeout, Endpoint endpoint,
            GuardRuntime runtime) {
        this.kind = kind;
        this.method = method;
        this.timeout = timeout;
        this.endpoint = endpoint;
        this.runtime = runtime;
        this.text = kind == MessageKind.TEXT ? new TextAssembler(limit, runtime.stats()::buffered) : null;
        this.binary = kind == MessageKind.BINARY ? new BinaryAssembler(limit, runtime.stats()::buffered) : null;
    }

    /** The first bytes of a message have arrived (seen by the frame relay before the container delivers them). */
    synchronized void messageStarted() {
        if (!closed && !inProgress) {
            start();
        }
    }

    /** One part of a message, {@code String} for text or {@code ByteBuffer} for binary, from the container. */
    synchronized void part(Object part, boolean last) {
        if (closed) {
            return;
        }
        // A message that arrives whole in one part needs no deadline: the common small message costs no timer work.
        if (!inProgress && !last) {
            start();
        }
        Object whole;
        try {
            whole = kind == MessageKind.TEXT ? text.append((String) part, last, keepsWhole())
                    : binary.append((ByteBuffer) part, last, keepsWhole());
        } catch (SizeguardCloseException tooBig) {
            endpoint.reject(kind, 0, tooBig);
            return;
        }
        if (last) {
            finish();
        }
        if (method.partial()) {
            endpoint.deliver(method, part, last);
        } else if (method.streamed()) {
            stream(part, last);
        } else if (whole != null) {
            deliverWhole(whole);
        }
    }

    private boolean keepsWhole() {
        return !method.incremental();
    }

    private void deliverWhole(Object whole) {
        Object payload;
        try {
            payload = endpoint.wholePayload(method, whole);
        } catch (SizeguardCloseException undecodable) {
            long size = whole instanceof String s ? Utf8.encodedLength(s) : ((ByteBuffer) whole).remaining();
            endpoint.reject(kind, size, undecodable);
            return;
        }
        endpoint.deliver(method, payload, true);
    }

    private void stream(Object part, boolean last) {
        if (pipe == null) {
            awaitPreviousReader();
            if (closed) {
                return;
            }
            PartPipe next = new PartPipe();
            pipe = next;
            CompletableFuture<Void> done = new CompletableFuture<>();
            reading = done;
            runtime.stats().streamStarted();
            runtime.streams().execute(() -> {
                try {
                    endpoint.deliver(method, endpoint.streamPayload(method, next), true);
                } catch (SizeguardCloseException undecodable) {
                    endpoint.reject(kind, 0, undecodable);
                } finally {
                    runtime.stats().streamEnded();
                    done.complete(null);
                }
            });
        }
        Object copy = part instanceof String ? part : bytes((ByteBuffer) part);
        try {
            if (!pipe.put(copy, remainingMillis())) {
                endpoint.reject(kind, 0, new MessageIncompleteException(kind, timeout));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endpoint.reject(kind, 0, new MessageIncompleteException(kind, timeout));
            return;
        }
        if (last) {
            pipe.end();
            pipe = null;
        }
    }

    /** Messages of a session are handled one after the other: the next waits for the previous reader. */
    private void awaitPreviousReader() {
        try {
            reading.get(Math.max(1, remainingMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slowReader) {
            endpoint.reject(kind, 0, new MessageIncompleteException(kind, timeout));
        } catch (ExecutionException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endpoint.reject(kind, 0, new MessageIncompleteException(kind, timeout));
        }
    }

    private long remainingMillis() {
        if (deadline == null) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, deadline.getDelay(TimeUnit.MILLISECONDS));
    }

    private void start() {
        inProgress = true;
        runtime.stats().messageStarted();
        if (!timeout.isZero()) {
            deadline = runtime.deadlines().schedule(this::deadlinePassed, timeout.toMillis(), TimeUnit.MILLISECONDS);
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

    private synchronized void deadlinePassed() {
        if (inProgress && !closed) {
            long received = kind == MessageKind.TEXT ? text.received() : binary.received();
            endpoint.reject(kind, received, new MessageIncompleteException(kind, timeout));
        }
    }

    /**
     * The session is ending (rejected or closed): releases what is held, cancels the deadline, and makes a
     * stream reader's next read fail with {@code why}.
     */
    void close(String why) {
        // A part may be blocked in put() on the container's thread, holding this monitor, because the reader stopped
        // reading (a decoder refused the message early). Failing the pipe first frees it at once, instead of at the
        // message's deadline.
        PartPipe reading = pipe;
        if (reading != null) {
            reading.fail(new IOException(why));
        }
        release(why);
    }

    private synchronized void release(String why) {
        closed = true;
        finish();
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

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
