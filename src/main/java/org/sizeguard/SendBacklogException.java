package org.sizeguard;

import java.time.Duration;

import jakarta.websocket.CloseReason.CloseCodes;

/**
 * The client does not take what the server sends: the session's queued sends would exceed
 * {@code sizeguard.max-outbound-buffered-bytes}, or a send was not written within {@code sizeguard.send-timeout}.
 * Close code 1008 (VIOLATED_POLICY); the send that could not be made fails with this exception.
 */
public class SendBacklogException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    private SendBacklogException(String reason) {
        super(CloseCodes.VIOLATED_POLICY, reason, null);
    }

    /** A send of {@code bytes} would take the session's queue over {@code limit}. */
    public static SendBacklogException queueFull(long limit) {
        return new SendBacklogException("outbound queue exceeds " + limit + " bytes: the client is not reading");
    }

    /** A session has {@code limit} messages queued already. */
    public static SendBacklogException tooManyQueued(int limit) {
        return new SendBacklogException("outbound queue exceeds " + limit + " messages: the client is not reading");
    }

    /** A send has been pending for longer than {@code timeout}. */
    public static SendBacklogException timedOut(Duration timeout) {
        return new SendBacklogException("send not completed within " + timeout.toMillis() + " ms: the client is not reading");
    }
}
