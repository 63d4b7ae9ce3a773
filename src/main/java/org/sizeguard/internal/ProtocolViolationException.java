package org.sizeguard.internal;

import jakarta.websocket.CloseReason.CloseCodes;

import org.sizeguard.SizeguardCloseException;

/**
 * The client broke a framing rule of RFC 6455 (an unmasked frame, reserved bits or opcodes, a bad length, a bad
 * control frame, a continuation without a message): close code 1002 (PROTOCOL_ERROR), with a reason naming the rule,
 * e.g. {@code "client frame is not masked (RFC 6455 5.1)"}. Nothing the connection sends after it is read as frames.
 */
public class ProtocolViolationException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String rule) {
        super(CloseCodes.PROTOCOL_ERROR, rule, null);
    }
}
