package org.sizeguard.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.websocket.DecodeException;

import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * Feeds each message, part by part as the parts pass the count, to a method that reads it as a stream
 * ({@code Reader}, {@code InputStream}, or a stream decoder reading one) on one of Sizeguard's stream threads,
 * through a {@link PartPipe} of a few parts. The limit is the stream cap of the kind. A message that arrives whole
 * in one part is read on the container's thread instead, with no slot and no thread hop.
 * <p>
 * Messages of a session are read one after the other: the next waits for the previous reader, at most until its
 * own deadline (or {@link #MAX_STALL}) and no longer than the session lasts; a part waits for room in the pipe as
 * long. Neither wait holds the monitor.
 *
 * @param <S> the stream the method reads
 */
final class StreamMessageSink<P, S> extends MessageSink<P> {

    /** How much longer than the message's deadline a stream reader waits for a part. */
    private static final long READER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PartFormat<P, S> streams;
    private final Decoding.Streamed<S> payload;
    private final MessageMethod declared;
    /** Completes when the session ends: wakes a part waiting for the previous message's reader. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** The pipe of the message in progress; volatile so {@link #close} fails it without the monitor. */
    private volatile PartPipe<P> pipe;
    /** Completes when the reader of the last streamed message has returned. */
    private volatile CompletableFuture<Void> reading = CompletableFuture.completedFuture(null);

    StreamMessageSink(PartFormat<P, S> format, Limits limits, GuardRuntime runtime, EndpointCounters counters,
            SessionRejection rejection,
            BoundMethod method, Decoding.Streamed<S> payload, MessageMethod declared) {
        super(format, limits, runtime, counters, rejection, method);
        this.streams = format;
        this.payload = payload;
        this.declared = declared;
    }

    @Override
    boolean keepsWhole() {
        return false;
    }

    @Override
    void arrived(P part, P whole, boolean last) {
        if (last && pipe == null) {
            // The whole message came in one part, already held by the container: read here, valid until we return.
            if (awaitPreviousReader()) {
                readWhole(part);
            }
        } else {
            stream(part, last);
        }
    }

    private void readWhole(P message) {
        Object argument;
        try {
            argument = payload.payload(streams.stream(message));
        } catch (DecodeException | IOException e) {
            rejection.reject(kind, measure(message), Decoding.undecodable(declared, e));
            return;
        } catch (SizeguardCloseException refused) {
            rejection.reject(kind, measure(message), refused);
            return;
        }
        method.deliver(argument, true);
    }

    private void stream(P part, boolean last) {
        PartPipe<P> current = pipe;
        if (current == null) {
            current = startReader();
            if (current == null) {
                return;
            }
        }
        try {
            if (!current.put(streams.keep(part), waitMillis())) {
                expired();
                return;
            }
        } catch (SizeguardCloseException budgetSpent) {
            rejection.reject(kind, received(), budgetSpent);
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
    private PartPipe<P> startReader() {
        if (!awaitPreviousReader()) {
            return null;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        PartPipe<P> next;
        synchronized (this) {
            if (isClosed()) {
                return null;
            }
            // The reader's own deadline is a safety net behind the message's: the timer ends the message (1008)
            // first, and the reader must not see a timeout of its own before that (it would read as undecodable).
            long messageDeadline = deadlineNanos();
            next = streams.pipe(runtime.budget(),
                    messageDeadline == Long.MAX_VALUE ? Long.MAX_VALUE : messageDeadline + READER_GRACE_NANOS);
            pipe = next;
            reading = done;
        }
        PartPipe<P> reader = next;
        try {
            runtime.streams().start(() -> {
                try {
                    read(reader);
                } finally {
                    reader.discard();
                    done.complete(null);
                }
            });
        } catch (SizeguardCloseException noSlot) {
            done.complete(null);
            rejection.reject(kind, received(), noSlot);
            return null;
        }
        return next;
    }

    /** On a stream thread: the method reads the message (perhaps through its decoder) while the parts arrive. */
    private void read(PartPipe<P> reader) {
        Object argument;
        try {
            argument = payload.payload(streams.stream(reader));
        } catch (DecodeException | IOException e) {
            if (!isClosed()) {
                rejection.rejectElsewhere(kind, 0, Decoding.undecodable(declared, e));
            }
            // Else the stream failed because the message was rejected (that close stands) or the client left.
            return;
        } catch (SizeguardCloseException refused) {
            rejection.rejectElsewhere(kind, 0, refused);
            return;
        }
        if (!isClosed()) {
            method.deliver(argument, true);
        }
    }

    /** @return whether the previous reader is done and the session still open */
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

    /** Also makes a reader's next read fail with {@code why}, and wakes a part waiting for a reader or for room. */
    @Override
    void close(String why) {
        PartPipe<P> current = pipe;
        if (current != null) {
            current.fail(new IOException(why));
        }
        ended.complete(null);
        super.close(why);
        synchronized (this) {
            if (pipe != null) {
                pipe.fail(new IOException(why));
                pipe = null;
            }
        }
    }
}
