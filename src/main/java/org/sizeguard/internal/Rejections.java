package org.sizeguard.internal;

import java.io.IOException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageRejected;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;

/**
 * The one path from a {@link SizeguardCloseException} to {@code session.close(...)}: it writes one log line
 * with the stable prefix {@value #LOG_PREFIX}, fires the {@link MessageRejected} event and closes the session
 * with the exception's close code and reason. Thread-safe.
 */
public final class Rejections {

    /** Every rejection's log line starts with this. */
    public static final String LOG_PREFIX = "SIZEGUARD-001:";

    private static final Logger LOG = Logger.getLogger(Rejections.class.getName());

    private final Consumer<MessageRejected> events;

    /** @param events receives every rejection before the session is closed, e.g. the CDI event bus */
    public Rejections(Consumer<MessageRejected> events) {
        this.events = events;
    }

    /**
     * Ends {@code session} because of {@code rejection}.
     *
     * @param endpointPath  the endpoint's path template, for the event and the log line
     * @param kind          the kind of message that was rejected
     * @param observedBytes bytes of that message received when it was rejected
     */
    public void reject(Session session, String endpointPath, MessageKind kind, long observedBytes,
            SizeguardCloseException rejection) {
        CloseReason reason = rejection.closeReason();
        long limit = rejection instanceof MessageTooBigException tooBig ? tooBig.limit() : -1;
        long observed = rejection instanceof MessageTooBigException tooBig ? tooBig.observedBytes() : observedBytes;
        LOG.log(Level.INFO, () -> LOG_PREFIX + " closed session " + session.getId() + " on " + endpointPath + " with "
                + reason.getCloseCode().getCode() + " \"" + reason.getReasonPhrase() + "\" after " + observed
                + " bytes of a " + kind.description());
        try {
            events.accept(new MessageRejected(endpointPath, session.getId(), kind, limit, observed,
                    reason.getCloseCode().getCode(), reason.getReasonPhrase()));
        } catch (RuntimeException observerFailure) {
            // An observer's bug must not keep the client from hearing why its session ends.
            LOG.log(Level.WARNING, LOG_PREFIX + " an observer of MessageRejected failed", observerFailure);
        }
        try {
            session.close(reason);
        } catch (IOException alreadyGone) {
            LOG.log(Level.FINE, "session " + session.getId() + " was already closed", alreadyGone);
        }
    }
}
