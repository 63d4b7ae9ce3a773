package org.sizeguard;

import jakarta.websocket.CloseReason.CloseCodes;

/**
 * A message's payload could not be decoded (a decoder refused it): close code 1007 (NOT_CONSISTENT), with a
 * reason that says what could not be decoded.
 */
public class UndecodableMessageException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    public UndecodableMessageException(String reasonPhrase, Throwable cause) {
        super(CloseCodes.NOT_CONSISTENT, reasonPhrase, cause);
    }
}
