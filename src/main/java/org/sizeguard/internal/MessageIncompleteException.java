package org.sizeguard.internal;

import java.time.Duration;

import jakarta.websocket.CloseReason.CloseCodes;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;

/**
 * A message was not complete within its policy's completion timeout, because its next fragment never came or
 * because it trickled in too slowly: close code 1008 (VIOLATED_POLICY), reason
 * {@code "<kind> not completed within <n> ms"}.
 */
public class MessageIncompleteException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    private final MessageKind kind;

    public MessageIncompleteException(MessageKind kind, Duration timeout) {
        super(CloseCodes.VIOLATED_POLICY, kind.description() + " not completed within " + timeout.toMillis() + " ms",
                null);
        this.kind = kind;
    }

    public MessageKind kind() {
        return kind;
    }
}
