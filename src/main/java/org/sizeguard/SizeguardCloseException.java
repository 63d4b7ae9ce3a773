package org.sizeguard;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;
import org.sizeguard.CloseReasons;

/**
 * A client's message that ends its session with a specific close code (RFC 6455 §7.4.1).
 * <p>
 * Sizeguard turns every such exception, whether thrown by its own message handling or by an endpoint's
 * decoder or method, into exactly one {@code session.close(...)} with {@link #closeReason()}; it never
 * degrades into 1011. Endpoint authors and decoders may throw subclasses themselves.
 */
public abstract class SizeguardCloseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CloseCode closeCode;

    protected SizeguardCloseException(CloseCode closeCode, String reasonPhrase, Throwable cause) {
        super(reasonPhrase, cause);
        this.closeCode = closeCode;
    }

    /** The close code the session ends with. */
    public CloseCode closeCode() {
        return closeCode;
    }

    /** The close reason the session ends with, its phrase cut to 123 UTF-8 bytes. */
    public CloseReason closeReason() {
        return CloseReasons.of(closeCode, getMessage());
    }
}
