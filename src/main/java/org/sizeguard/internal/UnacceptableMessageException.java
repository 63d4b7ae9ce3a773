package org.sizeguard.internal;

import jakarta.websocket.CloseReason.CloseCodes;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;

/**
 * A message of a kind the endpoint has no {@code @OnMessage} method for: close code 1003 (CANNOT_ACCEPT, RFC 6455
 * 7.4.1: "a type of data it cannot accept"), e.g. {@code "this endpoint takes no binary messages"}. Refused at its
 * first part, before any of it is held; without it the message would vanish unanswered.
 */
public class UnacceptableMessageException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    public UnacceptableMessageException(MessageKind kind) {
        super(CloseCodes.CANNOT_ACCEPT, "this endpoint takes no " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + " messages", null);
    }
}
