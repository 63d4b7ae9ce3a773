package org.sizeguard.internal;

import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.Decoder;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * Where the parts of one kind of message go on one session: the middle of the one-way inbound path
 * (wire → limit → sink → endpoint). One sink per delivery mode, chosen once when the session opens ({@link #text},
 * {@link #binary}): {@link WholeMessageSink} joins the message and hands it over whole (converted or decoded),
 * {@link PartialMessageSink} hands over each part, {@link StreamMessageSink} feeds a reader on a thread of its own.
 * Each {@link #accept} counts the part against the limit before anything else happens to it (one check, in the
 * {@link MessageAssembler}); a refused message goes to the session's {@link SessionRejection}, an accepted one to its
 * {@link BoundMethod}. Each message that spans parts has a completion deadline from its first byte.
 * <p>
 * Threads: parts arrive on the container's thread, one at a time per session; deadlines expire on an expiry thread
 * and {@link #close} may come from any. The monitor guards the message's state only: it is never held while the
 * endpoint runs or while a part waits for a stream reader.
 *
 * @param <P> a part as the container delivers it: {@code String} or {@code ByteBuffer}
 */
abstract class MessageSink<P> {

    /** Longest wait for a stream reader when the policy sets no completion deadline. */
    static final Duration MAX_STALL = Duration.ofSeconds(30);

    final PartFormat<P, ?> format;
    final MessageKind kind;
    final Duration timeout;
    final GuardRuntime runtime;
    final EndpointCounters counters;
    final SessionRejection rejection;
    final BoundMethod method;
    private final MessageAssembler<P> assembler;

    // Guarded by this.
    private boolean inProgress;
    private ScheduledFuture<?> deadline;
    private long deadlineNanos = Long.MAX_VALUE;
    /** Counts messages, so that a deadline that fires late never ends a message after its own. */
    private long messageNumber;
    private boolean closed;

    MessageSink(PartFormat<P, ?> format, Limits limits, GuardRuntime runtime, EndpointCounters counters,
            SessionRejection rejection,
            BoundMethod method) {
        this.format = format;
        this.kind = format.kind();
        this.timeout = limits.completionTimeout();
        this.runtime = runtime;
        this.counters = counters;
        this.rejection = rejection;
        this.method = method;
        this.assembler = format.assembler(limits.maxBytes(), runtime.budget());
    }

    /** What a sink enforces on each message. */
    record Limits(long maxBytes, Duration completionTimeout) {
    }

    /** The sink for the text messages of {@code method}, with the session's instances of its decoders. */
    static MessageSink<String> text(MessageMethod method, List<Decoder> decoders, Limits limits, GuardRuntime runtime,
            EndpointCounters counters, SessionRejection rejection, BoundMethod bound) {
        PartFormat<String, Reader> format = PartFormat.TEXT;
        return switch (method.delivery()) {
            case WHOLE -> new WholeMessageSink<>(format, limits, runtime, counters, rejection, bound,
                    Decoding.text(method, decoders));
            case PARTS -> new PartialMessageSink<>(format, limits, runtime, counters, rejection, bound, part -> part);
            case STREAM -> new StreamMessageSink<>(format, limits, runtime, counters, rejection, bound,
                    Decoding.textStream(method, decoders), method);
        };
    }

    /** The sink for the binary messages of {@code method}, with the session's instances of its decoders. */
    static MessageSink<ByteBuffer> binary(MessageMethod method, List<Decoder> decoders, Limits limits,
            GuardRuntime runtime, EndpointCounters counters,
            SessionRejection rejection, BoundMethod bound) {
        PartFormat<ByteBuffer, InputStream> format = PartFormat.BINARY;
        return switch (method.delivery()) {
            case WHOLE -> new WholeMessageSink<>(format, limits, runtime, counters, rejection, bound,
                    Decoding.binary(method, decoders));
            case PARTS -> new PartialMessageSink<>(format, limits, runtime, counters, rejection, bound,
                    method.payload() == EndpointModel.Payload.BYTES ? PartFormat::bytes : part -> part);
            case STREAM -> new StreamMessageSink<>(format, limits, runtime, counters, rejection, bound,
                    Decoding.binaryStream(method, decoders), method);
        };
    }

    /** A sink that hands each text message whole, as it is, to {@code bound}: the transfer protocol's control. */
    static MessageSink<String> wholeText(Limits limits, GuardRuntime runtime, EndpointCounters counters,
            SessionRejection rejection, BoundMethod bound) {
        return new WholeMessageSink<>(PartFormat.TEXT, limits, runtime, counters, rejection, bound, text -> text);
    }

    /** A sink that hands each binary part, as it is, to {@code bound}: the transfer protocol's chunks. */
    static MessageSink<ByteBuffer> binaryParts(Limits limits, GuardRuntime runtime, EndpointCounters counters,
            SessionRejection rejection, BoundMethod bound) {
        return new PartialMessageSink<>(PartFormat.BINARY, limits, runtime, counters, rejection, bound, part -> part);
    }

    /**
     * One part of a message, from the container (its buffer valid until this returns): counted, then handed on
     * as the sink's mode says. A refused message is rejected here; nothing is thrown for the client's mistakes.
     */
    final void accept(P part, boolean last) {
        P whole = null;
        SizeguardCloseException refused = null;
        long receivedBefore;
        synchronized (this) {
            if (closed) {
                return;
            }
            // A message that arrives whole in one part needs no timer of its own: the common small message costs none.
            if (!inProgress && !last) {
                start();
            }
            receivedBefore = assembler.received();
            try {
                whole = assembler.append(part, last, keepsWhole());
            } catch (SizeguardCloseException e) {
                refused = e;
            }
            if (refused == null) {
                counters.received(kind, assembler.counted() - receivedBefore, last);
                if (last) {
                    finish();
                    deadlineNanos = Long.MAX_VALUE;
                }
            }
        }
        if (refused != null) {
            long observed = receivedBefore + assembler.measure(part);
            counters.received(kind, observed - receivedBefore, false);
            rejection.reject(kind, observed, refused);
            return;
        }
        arrived(part, whole, last);
    }

    /** Whether the assembler joins the parts for this sink. */
    abstract boolean keepsWhole();

    /**
     * A part has passed the count; outside the monitor.
     *
     * @param whole the joined message if {@link #keepsWhole()} and {@code last}, else {@code null}
     */
    abstract void arrived(P part, P whole, boolean last);

    /** The first bytes of a message have arrived (seen by the frame relay before the container delivers them). */
    final synchronized void messageStarted() {
        if (!closed && !inProgress) {
            start();
        }
    }

    /**
     * The session is ending (rejected or closed): releases what is held and cancels the deadline; later parts are
     * ignored.
     */
    void close(String why) {
        synchronized (this) {
            closed = true;
            finish();
            deadlineNanos = Long.MAX_VALUE;
            assembler.release();
        }
    }

    final synchronized boolean isClosed() {
        return closed;
    }

    /** Bytes of {@code part} as the limit counts them. */
    final long measure(P part) {
        return assembler.measure(part);
    }

    final synchronized long received() {
        return assembler.received();
    }

    /** {@link System#nanoTime()} of the current message's deadline, or {@code Long.MAX_VALUE}. */
    final synchronized long deadlineNanos() {
        return deadlineNanos;
    }

    /** How long a part may wait for a stream reader: until the message's deadline, or {@link #MAX_STALL}. */
    final long waitMillis() {
        long deadlineAt = deadlineNanos();
        if (deadlineAt == Long.MAX_VALUE) {
            return MAX_STALL.toMillis();
        }
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineAt - System.nanoTime()));
    }

    /** The message was not completed in time (its deadline, or a reader that did not keep up): 1008. */
    final void expired() {
        counters.deadlineExpired();
        rejection.reject(kind, received(),
                new MessageIncompleteException(kind, timeout.isZero() ? MAX_STALL : timeout));
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
        long receivedSoFar;
        synchronized (this) {
            if (!inProgress || closed || number != messageNumber) {
                return;
            }
            receivedSoFar = assembler.received();
        }
        counters.deadlineExpired();
        rejection.rejectElsewhere(kind, receivedSoFar, new MessageIncompleteException(kind, timeout));
    }
}
