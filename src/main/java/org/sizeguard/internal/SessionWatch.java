package org.sizeguard.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.sizeguard.CloseReasons;

/**
 * What is checked of one open guarded session about once a second, on an expiry thread ({@link GuardRuntime#watch}):
 * a send pending past the send timeout (the send queue ends the session with 1008), an idle timeout that Sizeguard
 * keeps (1001, as containers do), and a session the container has closed without reporting it
 * ({@link org.sizeguard.internal.adapter.ContainerAdapter#closedWithoutNotice}): two checks in a row that find it so
 * end it, so that what it holds is released.
 */
final class SessionWatch implements GuardRuntime.Checked {

    private static final Logger LOG = Logger.getLogger(SessionWatch.class.getName());

    private final Session session;
    private final Outbound outbound;
    private final IdleTimeout idleTimeout;
    private final SessionClose close;
    private final GuardRuntime runtime;
    private final AtomicBoolean idleClosed = new AtomicBoolean();
    /** Checks in a row that found the container's session closed while its close had not been reported. */
    private int closedWithoutNotice;

    SessionWatch(Session session, Outbound outbound, IdleTimeout idleTimeout, SessionClose close,
            GuardRuntime runtime) {
        this.session = session;
        this.outbound = outbound;
        this.idleTimeout = idleTimeout;
        this.close = close;
        this.runtime = runtime;
    }

    @Override
    public void check(long nowNanos) {
        outbound.checkTimeout(nowNanos);
        if (idleTimeout.expired(nowNanos) && idleClosed.compareAndSet(false, true)) {
            closeIdle();
        }
        if (!runtime.adapter().closedWithoutNotice(session)) {
            closedWithoutNotice = 0;
        } else if (++closedWithoutNotice >= 2 && !close.ended()) {
            close.end(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY,
                    "closed without notice from the container"));
        }
    }

    /** Ends a session idle for longer than its timeout, as a container does: 1001, not a rejection. */
    private void closeIdle() {
        CloseReason reason = CloseReasons.of(CloseReason.CloseCodes.GOING_AWAY,
                "idle for more than " + idleTimeout.get() + " ms");
        close.endUnlessClosedWithin("not reported closed after its idle timeout", runtime.closeGraceMillis());
        runtime.closeElsewhere(() -> {
            try {
                session.close(reason);
            } catch (IOException alreadyGone) {
                LOG.log(Level.FINE, "session " + session.getId() + " was already closed", alreadyGone);
            }
        });
    }
}
