package org.sizeguard;

import jakarta.websocket.CloseReason.CloseCodes;

/**
 * A message, or something a message declares, exceeded its size limit: close code 1009 (TOO_BIG). The reason is
 * {@code "<kind> exceeds <limit> bytes"} for a message, e.g. {@code "text message exceeds 65536 bytes"}, or
 * {@code "<what> of <size> bytes exceeds <limit> bytes"} for a part of a protocol that a message carries or
 * declares, e.g. {@code "chunk of 1001 bytes exceeds 1000 bytes"} for a transfer's chunk. Every size refusal of
 * Sizeguard is one of these, made by {@link #requireWithin(MessageKind, long, long)} or
 * {@link #requireWithin(MessageKind, String, long, long)}.
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
        this(kind, limit, observedBytes, kind.description() + " exceeds " + limit + " bytes");
    }

    /**
     * @param kind          the kind of message that carried or declared what was too big
     * @param limit         the limit it exceeded, in bytes
     * @param observedBytes its size, {@code > limit}
     * @param reasonPhrase  the close reason, naming what was too big, its size and the limit
     */
    protected MessageTooBigException(MessageKind kind, long limit, long observedBytes, String reasonPhrase) {
        super(CloseCodes.TOO_BIG, reasonPhrase, null);
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

    /**
     * The same size check for something a message carries or declares rather than the message itself (a transfer
     * declared by a text message, a chunk carried by a binary one), with a reason that names it:
     * {@code "<what> of <total> bytes exceeds <limit> bytes"}.
     *
     * @param kind the kind of message that carries or declares it
     * @param what what is measured, e.g. {@code "chunk"}
     * @return {@code total}, if it is at most {@code limit}
     * @throws MessageTooBigException if {@code total} exceeds {@code limit}
     */
    public static long requireWithin(MessageKind kind, String what, long limit, long total) {
        if (total > limit) {
            throw new MessageTooBigException(kind, limit, total,
                    what + " of " + total + " bytes exceeds " + limit + " bytes");
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
