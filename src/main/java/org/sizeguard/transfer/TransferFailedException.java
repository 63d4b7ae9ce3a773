package org.sizeguard.transfer;

import java.io.IOException;

/**
 * A transfer sent with {@link TransferClient} did not complete: the server closed the connection with
 * {@link #closeCode()} and {@link #reason()} (the protocol's documented refusals), or the connection could not be
 * (re-)established within the client's resumes ({@link #closeCode()} 1006).
 */
public class TransferFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;
    private final String reason;

    public TransferFailedException(int closeCode, String reason, Throwable cause) {
        super(closeCode + " " + reason, cause);
        this.closeCode = closeCode;
        this.reason = reason;
    }

    /** The WebSocket close code the transfer ended with. */
    public int closeCode() {
        return closeCode;
    }

    /** The close reason the server gave. */
    public String reason() {
        return reason;
    }
}
