package org.sizeguard.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.GuardedConnection;

/**
 * The one owner of the end of one guarded session: where the inbound path ends for a refused message, and where the
 * session is released, once, however it ends.
 * <p>
 * <b>Refusals</b> come from the frame relay (Payara) or the extension (WildFly) under the session, from the message
 * sinks, the deadline timer, stream readers, the send queue and the transfer protocol. Each hands its
 * {@link SizeguardCloseException} here and returns; the first one counts: what the session holds for messages in
 * progress is released, then the close is made through {@link Rejections} (one log line, the CDI event,
 * {@code session.close} with the exception's code and reason). Later refusals, and refusals after the session
 * ended, are ignored. {@link #reject} closes on the calling thread (a container's reading thread);
 * {@link #rejectElsewhere} on a close thread of its own, for Sizeguard's own threads (deadlines, stream readers,
 * send timeouts) and any close that may block on a client that does not read.
 * <p>
 * <b>The end</b> ({@link #end}) comes from the container's {@code onClose}, or, for a container that loses a
 * session without reporting it, from Sizeguard itself: a grace after a refusal or a failed send
 * ({@link #endUnlessClosedWithin}), or the periodic check that finds the container's session closed. It runs the
 * session's release once, on the thread that ends it. Thread-safe.
 */
public final class SessionClose implements SessionRejection, ConnectionListener {

    private static final Logger LOG = Logger.getLogger(SessionClose.class.getName());

    /** How long after its connection ended (Payara's relay sees it) a session may stay unreported closed. */
    private static final long CONNECTION_END_GRACE_MILLIS = 3000;

    private final Session session;
    private final String endpointPath;
    private final GuardRuntime runtime;
    private final EndpointCounters counters;
    private final AtomicBoolean refused = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The sinks of the session's messages, by kind: a refusal releases their messages in progress. While opening. */
    private final Map<MessageKind, MessageSink<?>> sinks = new ConcurrentHashMap<>(2);
    /** What the end releases; set while the session opens, before anything can end it. */
    private volatile Consumer<CloseReason> release = reason -> { };
    private final AtomicBoolean sendFailureSeen = new AtomicBoolean();
    /** The connection under the session, where the adapter sees it; aborted by an end the container never reported. */
    private volatile GuardedConnection connection;

    SessionClose(Session session, String endpointPath, GuardRuntime runtime, EndpointCounters counters) {
        this.session = session;
        this.endpointPath = endpointPath;
        this.runtime = runtime;
        this.counters = counters;
    }

    /**
     * {@code sink} takes the session's messages of {@code kind}: its message in progress is released when the session
     * refuses a message, and its deadline starts when the connection reports such a message begun. While opening.
     */
    void holds(MessageKind kind, MessageSink<?> sink) {
        sinks.put(kind, sink);
    }

    /** What {@link #end} runs, once, with the reason the session ended. While opening. */
    void releasesWith(Consumer<CloseReason> release) {
        this.release = release;
    }

    /** The connection under the session, aborted if the session has to be ended without the container. */
    void over(GuardedConnection connection) {
        this.connection = connection;
    }

    /** Refuses the session's input, closing on the calling thread (a container's reading thread). */
    @Override
    public void reject(MessageKind kind, long observedBytes, SizeguardCloseException rejection) {
        refuse(kind, observedBytes, rejection, false);
    }

    /** Refuses the session's input from one of Sizeguard's own threads, closing on a close thread. */
    @Override
    public void rejectElsewhere(MessageKind kind, long observedBytes, SizeguardCloseException rejection) {
        refuse(kind, observedBytes, rejection, true);
    }

    /**
     * The connection under the session refuses its client's input (a frame too big for its message's limit, a framing
     * violation, invalid compressed data), on its reading thread: the kind is the exception's, else text.
     */
    @Override
    public void refused(SizeguardCloseException refusal) {
        refuse(kindOf(refusal, MessageKind.TEXT), 0, refusal, false);
    }

    /** A message has begun on the connection before the container delivers any of it: its deadline starts now. */
    @Override
    public void messageStarted(MessageKind kind) {
        MessageSink<?> sink = sinks.get(kind);
        if (sink != null) {
            sink.messageStarted();
        }
    }

    /**
     * The connection under the session has ended: the session ends after {@value #CONNECTION_END_GRACE_MILLIS} ms
     * unless the container reports it closed first (longer than the lingering close, 2 s: the container has had its
     * chance).
     */
    @Override
    public void connectionEnded() {
        endUnlessClosedWithin("the connection ended", CONNECTION_END_GRACE_MILLIS);
    }

    private void refuse(MessageKind kind, long observedBytes, SizeguardCloseException refusal, boolean elsewhere) {
        if (ended.get() || !refused.compareAndSet(false, true)) {
            // Once the session has ended (the client left) nothing it sent can be refused any more.
            return;
        }
        runtime.stats().rejected(counters, refusal.closeCode().getCode());
        // A container may lose a session whose close frame it cannot write (a client that stopped reading, then
        // reset the connection): Tyrus then never calls onClose, and its close may block. What the session holds
        // must not wait for either, so the grace is set before the close is attempted.
        endUnlessClosedWithin("not reported closed after " + refusal.closeCode().getCode(),
                runtime.closeGraceMillis());
        sinks.values().forEach(sink -> sink.close(refusal.getMessage()));
        Runnable close = () -> runtime.rejections().reject(session, endpointPath, kind, observedBytes, refusal);
        if (elsewhere) {
            runtime.closeElsewhere(close);
        } else {
            close.run();
        }
    }

    /** Whether the session has refused its client's input; nothing is delivered after that. */
    public boolean hasRefused() {
        return refused.get();
    }

    /** Whether the session has ended (its release has run or is running). */
    boolean ended() {
        return ended.get();
    }

    /**
     * Ends the session: runs its release, once, on this thread. From the container's {@code onClose}, or from
     * Sizeguard for a session the container has not reported closed.
     */
    void end(CloseReason reason) {
        if (ended.compareAndSet(false, true)) {
            release.accept(reason);
        }
    }

    /**
     * Ends the session after {@code graceMillis} unless the container has reported it closed by then, aborting the
     * connection under it (its close may be stuck on a client that does not read: neither may outlive the session).
     */
    void endUnlessClosedWithin(String why, long graceMillis) {
        runtime.afterDelay(() -> {
            if (!ended.get()) {
                LOG.fine(() -> "session " + session.getId() + " of " + endpointPath + " was not reported closed within "
                        + graceMillis + " ms (" + why + "); releasing it");
                GuardedConnection under = connection;
                if (under != null) {
                    under.abort();
                }
                end(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, why));
            }
        }, graceMillis);
    }

    /**
     * The container could not write a message: the connection is most likely gone, and the container may never say
     * so (Tyrus). The session ends after the close grace unless the container reports it closed first.
     */
    void sendFailed() {
        if (sendFailureSeen.compareAndSet(false, true)) {
            endUnlessClosedWithin("a send failed", runtime.closeGraceMillis());
        }
    }

    /** The kind {@code refusal} names, else {@code otherwise}. */
    static MessageKind kindOf(SizeguardCloseException refusal, MessageKind otherwise) {
        return refusal instanceof MessageTooBigException tooBig ? tooBig.kind() : otherwise;
    }
}
