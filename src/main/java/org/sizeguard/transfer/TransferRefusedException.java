package org.sizeguard.transfer;

import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.CloseReason.CloseCodes;

import org.sizeguard.SizeguardCloseException;

/**
 * A chunked transfer is refused: by a rule of the protocol, with the close code the protocol documents for it
 * ({@code docs/transfer-protocol.md}, section 5), or by the application's {@link OnTransfer} method, with 1008
 * unless it gives another code. The session closes with the code and the reason; the transfer is deleted. A
 * transfer or chunk larger than its limit is refused with Sizeguard's one size refusal,
 * {@link org.sizeguard.MessageTooBigException} (1009), like any message over its limit.
 */
public class TransferRefusedException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    /** The application refuses the transfer: 1008 with {@code reason}. */
    public TransferRefusedException(String reason) {
        this(CloseCodes.VIOLATED_POLICY, reason);
    }

    /** Refused with {@code code} and {@code reason} (at most 123 UTF-8 bytes are sent). */
    public TransferRefusedException(CloseCode code, String reason) {
        super(code, reason, null);
    }

    /** 1007: a control message or chunk header that cannot be read, or a digest that does not match. */
    public static TransferRefusedException malformed(String reason) {
        return new TransferRefusedException(CloseCodes.NOT_CONSISTENT, reason);
    }

    /** 1013: a server-wide limit of transfers is reached. */
    public static TransferRefusedException serverFull(String reason) {
        return new TransferRefusedException(CloseCodes.TRY_AGAIN_LATER, reason);
    }
}
