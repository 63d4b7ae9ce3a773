package org.sizeguard;

import jakarta.websocket.CloseReason.CloseCodes;

/**
 * A message exceeded its size limit: close code 1009 (TOO_BIG), reason
 * {@code "<kind> exceeds <limit> bytes"}, e.g. {@code "text message exceeds 65536 bytes"}.
 */
public class MessageTooBigException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    private final MessageKind kind;
    private final long limit;
    private final long observedBytes;

    /**
     * @param kind          the kind of message
     * @param limit         the limit it exceeded, in bytes (UTF-8 bytes for text)
     * @param observedBytes how many bytes of the message had arrived when it was rejected, {@code > limit}
     */
    public MessageTooBigException(MessageKind kind, long limit, long observedBytes) {
        super(CloseCodes.TOO_BIG, kind.description() + " exceeds " + limit + " bytes", null);
        this.kind = kind;
        this.limit = limit;
        this.observedBytes = observedBytes;
    }

    /**
     * The one size check of Sizeguard, shared by the frame relay, the assemblers and the decoders.
     *
     * @return {@code total}, if it is at most {@code limit}
     * @throws MessageTooBigException if {@code total} bytes of a message of {@code kind} exceed {@code limit}
     */
    public static long requireWithin(MessageKind kind, long limit, long total) {
        if (total > limit) {
            throw new MessageTooBigException(kind, limit, total);
        }
        return total;
    }

    public MessageKind kind() {
        return kind;
    }

    public long limit() {
        return limit;
    }

    public long observedBytes() {
        return observedBytes;
    }
}
