package org.sizeguard;

import java.time.Duration;

/**
 * The limits of chunked transfers on an endpoint that takes them ({@code docs/transfer-protocol.md}): how large a
 * transfer may be, how it is cut and paced, how many a session may run at once, and how long they may take and be
 * kept for a resume. Part of a {@link MessageSizePolicy}; immutable.
 *
 * @param maxTransferBytes       the largest transfer, declared in its {@code start}; larger ones are refused with 1009
 *                               before any data. Default 1 GiB
 * @param chunkBytes             the most data bytes of one chunk, as the server tells the client; never more than
 *                               the policy's binary message limit less the 13-byte chunk header. Default 256 KiB
 * @param window                 the credit window: how many chunks a client may send before they are acknowledged.
 *                               Default {@value #DEFAULT_WINDOW}
 * @param maxTransfersPerSession the most transfers one session runs at once; one more is refused with 1008. Default
 *                               {@value #DEFAULT_MAX_TRANSFERS_PER_SESSION}
 * @param retention              how long an unfinished transfer is kept after its session ended, for a resume.
 *                               Default 10 minutes
 * @param deadline               how long a transfer may take from its {@code start} to its receipt; one still
 *                               unfinished then is ended with 1008 and deleted. Default 1 hour
 */
public record TransferLimits(long maxTransferBytes, long chunkBytes, int window, int maxTransfersPerSession,
        Duration retention, Duration deadline) {

    /** The bytes of a chunk's header: a version byte, a 4-byte channel and an 8-byte offset. */
    public static final int CHUNK_HEADER_BYTES = 13;

    public static final long DEFAULT_MAX_TRANSFER_BYTES = 1L << 30;
    public static final long DEFAULT_CHUNK_BYTES = 256L * 1024;
    public static final int DEFAULT_WINDOW = 4;
    public static final int DEFAULT_MAX_TRANSFERS_PER_SESSION = 2;
    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(10);
    public static final Duration DEFAULT_DEADLINE = Duration.ofHours(1);

    /** The built-in limits. */
    public static final TransferLimits DEFAULTS = new TransferLimits(DEFAULT_MAX_TRANSFER_BYTES, DEFAULT_CHUNK_BYTES,
            DEFAULT_WINDOW, DEFAULT_MAX_TRANSFERS_PER_SESSION, DEFAULT_RETENTION, DEFAULT_DEADLINE);

    public TransferLimits {
        if (maxTransferBytes < 0 || chunkBytes < 1 || window < 1 || maxTransfersPerSession < 1) {
            throw new IllegalArgumentException("transfer limits must be positive: size " + maxTransferBytes
                    + ", chunk " + chunkBytes + ", window " + window + ", per session " + maxTransfersPerSession);
        }
        if (retention == null || retention.isNegative() || deadline == null || deadline.isNegative()) {
            throw new IllegalArgumentException("transfer durations must not be negative: retention " + retention
                    + ", deadline " + deadline);
        }
    }

    /** The chunk size a client is told to use on an endpoint whose binary messages may be {@code maxBinaryBytes}. */
    public long chunkBytesWithin(long maxBinaryBytes) {
        return Math.max(1, Math.min(chunkBytes, maxBinaryBytes - CHUNK_HEADER_BYTES));
    }
}
