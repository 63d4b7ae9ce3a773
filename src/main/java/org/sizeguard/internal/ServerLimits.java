package org.sizeguard.internal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The limits that protect the server as a whole, shared by every guarded session of one application (unlike a
 * {@link MessageSizePolicy}, which applies per endpoint). Immutable.
 *
 * @param maxBufferedBytes     the most bytes Sizeguard holds at once for all messages in progress and all queued
 *                             replies together, reserved before they are kept; a session whose next part would
 *                             exceed it is closed with 1013. Default: a quarter of the JVM's maximum heap
 * @param maxConcurrentStreams the most endpoint methods reading a message as a stream at once, each on a thread of
 *                             Sizeguard's own pool; a stream that finds no slot is closed with 1013 at once.
 *                             Default {@value #DEFAULT_MAX_CONCURRENT_STREAMS}
 * @param maxOutboundBytes     the most bytes of replies and sends queued for one session and not yet written; a
 *                             send that would exceed it closes the session with 1008 and fails. Default 4 MiB
 * @param sendTimeout          how long a send may take to be written; one still pending then closes the session
 *                             with 1008. Default 30 s; {@link Duration#ZERO} for none
 * @param maxSessions          the most guarded sessions open at once in the application; a session opened beyond it
 *                             is closed with 1013 before the endpoint sees it. Default 0: no cap
 * @param maxSessionsPerAddress the most guarded sessions open at once from one client address (the servlet
 *                             request's {@code getRemoteAddr()}, so behind a proxy the container must be told to
 *                             trust its forwarding headers); beyond it, 1013 likewise. Default 0: no cap
 * @param maxConcurrentTransfers the most chunked transfers in progress at once in the application, resumable ones
 *                             included; one more is refused with 1013. Default {@value #DEFAULT_MAX_CONCURRENT_TRANSFERS}
 * @param maxSpillBytes        the most bytes of unfinished transfers on disk at once (reserved at each transfer's
 *                             {@code start} for its whole declared size); a transfer that would exceed it is refused
 *                             with 1013. Default 10 GiB
 * @param transferDirectory    where unfinished transfers are spilled: a directory Sizeguard owns and empties of its
 *                             left-overs at start-up. Default {@code sizeguard-transfers/<context root>} in the
 *                             server's temporary directory ({@code java.io.tmpdir})
 */
public record ServerLimits(long maxBufferedBytes, int maxConcurrentStreams, long maxOutboundBytes,
        Duration sendTimeout, int maxSessions, int maxSessionsPerAddress, int maxConcurrentTransfers,
        long maxSpillBytes, Path transferDirectory) {

    /** Built-in cap on transfers in progress. */
    public static final int DEFAULT_MAX_CONCURRENT_TRANSFERS = 64;

    /** Built-in cap on spilled transfer bytes: 10 GiB. */
    public static final long DEFAULT_MAX_SPILL_BYTES = 10L << 30;

    /** Built-in stream reader slots. */
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 16;

    /** Built-in cap on one session's queued sends: 4 MiB. */
    public static final long DEFAULT_MAX_OUTBOUND_BYTES = 4L * 1024 * 1024;

    /** Built-in send timeout: 30 seconds. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

    public ServerLimits {
        if (maxBufferedBytes <= 0 || maxConcurrentStreams < 0 || maxOutboundBytes <= 0) {
            throw new IllegalArgumentException("server limits must be positive: buffered " + maxBufferedBytes
                    + ", streams " + maxConcurrentStreams + ", outbound " + maxOutboundBytes);
        }
        if (sendTimeout == null || sendTimeout.isNegative()) {
            throw new IllegalArgumentException("the send timeout must not be negative: " + sendTimeout);
        }
        if (maxSessions < 0 || maxSessionsPerAddress < 0) {
            throw new IllegalArgumentException("session caps must not be negative: " + maxSessions + ", "
                    + maxSessionsPerAddress);
        }
        if (maxConcurrentTransfers < 0 || maxSpillBytes < 0 || transferDirectory == null) {
            throw new IllegalArgumentException("transfer limits must not be negative and need a directory: "
                    + maxConcurrentTransfers + ", " + maxSpillBytes + ", " + transferDirectory);
        }
    }

    /** Limits with the built-in transfer limits. */
    public ServerLimits(long maxBufferedBytes, int maxConcurrentStreams, long maxOutboundBytes, Duration sendTimeout,
            int maxSessions, int maxSessionsPerAddress) {
        this(maxBufferedBytes, maxConcurrentStreams, maxOutboundBytes, sendTimeout, maxSessions, maxSessionsPerAddress,
                DEFAULT_MAX_CONCURRENT_TRANSFERS, DEFAULT_MAX_SPILL_BYTES, defaultTransferDirectory());
    }

    /**
     * Where the built-in default of {@code transferDirectory} lies: {@code sizeguard-transfers} in
     * {@code java.io.tmpdir}; each application uses its own directory under it.
     */
    public static Path defaultTransferDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "sizeguard-transfers");
    }

    /** Limits without session caps. */
    public ServerLimits(long maxBufferedBytes, int maxConcurrentStreams, long maxOutboundBytes, Duration sendTimeout) {
        this(maxBufferedBytes, maxConcurrentStreams, maxOutboundBytes, sendTimeout, 0, 0);
    }

    /** The built-in default of {@code maxBufferedBytes}: a quarter of the JVM's maximum heap. */
    public static long defaultMaxBufferedBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** The built-in limits. */
    public static ServerLimits defaults() {
        return new ServerLimits(defaultMaxBufferedBytes(), DEFAULT_MAX_CONCURRENT_STREAMS, DEFAULT_MAX_OUTBOUND_BYTES,
                DEFAULT_SEND_TIMEOUT);
    }
}
