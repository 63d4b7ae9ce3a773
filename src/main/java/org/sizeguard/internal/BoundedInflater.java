package org.sizeguard.internal;

import java.io.EOFException;
import java.util.zip.DataFormatException;
import java.util.zip.ZipException;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;

/**
 * Inflation within a limit, the one place Sizeguard bounds inflated bytes: a compressed payload inside a message
 * ({@link Inflation#inflate}) and a permessage-deflate message on the wire both inflate through one of these. It never
 * asks its {@link Source} for more than the limit + 1 byte in all, counts what the source yields against the limit
 * with {@link MessageTooBigException#requireWithin} (1009 at the limit + 1st byte), and answers data the source cannot
 * inflate with the same {@link UndecodableMessageException} (1007) whatever the source's own exception.
 * <p>
 * Holds no buffer and no inflater of its own: the source does. Not thread-safe: one reader at a time.
 *
 * @param <X> what the source throws besides invalid data ({@code IOException} for a stream, nothing for an
 *            {@link java.util.zip.Inflater})
 */
public final class BoundedInflater<X extends Exception> {

    /** Where the inflated bytes come from: an {@link java.util.zip.Inflater}, or an inflating stream. */
    @FunctionalInterface
    public interface Source<X extends Exception> {
        /**
         * Inflates at most {@code length} bytes into {@code out[offset, offset + length)}.
         *
         * @return the bytes written, or -1 at the end of the compressed data
         * @throws DataFormatException, {@link ZipException} or {@link EOFException} if the data is not valid
         */
        int inflate(byte[] out, int offset, int length) throws X, DataFormatException;
    }

    private final MessageKind kind;
    private final long limit;
    private final String invalidReason;
    private final Source<X> source;
    private long inflated;

    /**
     * @param kind          named in the 1009 reason
     * @param limit         the most inflated bytes this yields
     * @param invalidReason the 1007 reason for data the source cannot inflate
     */
    public BoundedInflater(MessageKind kind, long limit, String invalidReason, Source<X> source) {
        this.kind = kind;
        this.limit = limit;
        this.invalidReason = invalidReason;
        this.source = source;
    }

    /**
     * Inflates into {@code out[offset, offset + length)}, asking the source for no more than one byte beyond the
     * limit over all calls.
     *
     * @return the bytes written (fewer than {@code length} when the source has no more for now), or -1 at the end
     * @throws MessageTooBigException      (1009) once more than the limit has been inflated (the byte over it counts),
     *                                     and on every call after that
     * @throws UndecodableMessageException (1007) if the source finds the data invalid
     * @throws X                           as the source throws it otherwise
     */
    public int inflate(byte[] out, int offset, int length) throws X {
        // One byte beyond the limit is enough to know the message is too big; more is never inflated.
        // Saturating: a limit of Long.MAX_VALUE (no limit) must not wrap around to a negative request.
        long allowed = limit - inflated;
        int wanted = (int) Math.min(length, allowed == Long.MAX_VALUE ? allowed : allowed + 1);
        int n;
        try {
            n = source.inflate(out, offset, wanted);
        } catch (DataFormatException invalid) {
            throw new UndecodableMessageException(invalidReason, invalid);
        } catch (Exception failed) {
            // An inflating stream's word for invalid data (a truncated stream is one too).
            if (failed instanceof ZipException || failed instanceof EOFException) {
                throw new UndecodableMessageException(invalidReason, failed);
            }
            throw failed;
        }
        if (n < 0) {
            return n;
        }
        inflated += n;
        MessageTooBigException.requireWithin(kind, limit, inflated);
        return n;
    }

    /** Inflated bytes so far, the one beyond the limit included. */
    public long inflated() {
        return inflated;
    }
}
