package org.sizeguard;

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
 */
public record ServerLimits(long maxBufferedBytes, int maxConcurrentStreams, long maxOutboundBytes,
        Duration sendTimeout, int maxSessions, int maxSessionsPerAddress) {

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
