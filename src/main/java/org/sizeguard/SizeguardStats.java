package org.sizeguard;

import java.util.Map;

import org.sizeguard.internal.DeployedApplication;

/**
 * Live counts of what Sizeguard holds for the guarded sessions of one application, so that operators (and tests)
 * can see that a rejected or closed session leaves nothing behind. Read-only and thread-safe; all counts are gauges
 * except the rejection counters. Available through CDI ({@code @Inject SizeguardStats}), from {@link #current()}
 * and as JSON at {@code /sizeguard/stats} in Sizeguard's WAR.
 */
public interface SizeguardStats {

    /**
     * The counts of the application whose classes this interface was loaded with (see {@link SizePolicies#current()}).
     *
     * @throws IllegalStateException before Sizeguard has initialised the application
     */
    static SizeguardStats current() {
        return DeployedApplication.stats();
    }

    /** Guarded sessions open now. */
    long openSessions();

    /** Messages whose first part has arrived and whose last has not, each with a completion deadline pending. */
    long messagesInProgress();

    /**
     * Bytes Sizeguard holds now for messages in progress and queued sends, as reserved against the server-wide
     * budget: the capacity of assembly buffers (two bytes per char for text), parts queued for stream readers,
     * replies not yet written.
     */
    long bufferedBytes();

    /** The server-wide budget of {@link #bufferedBytes()} ({@code sizeguard.max-buffered-bytes}). */
    long budgetBytes();

    /** Endpoint methods reading a message as a stream right now, each holding one stream slot. */
    long activeStreams();

    /** The stream reader slots ({@code sizeguard.max-concurrent-streams}). */
    int streamSlots();

    /** Messages handed to the container to send and not yet written, over all sessions. */
    long queuedSends();

    /** Sends that failed or were refused so far (a client that stopped reading, a closed session). */
    long failedSends();

    /** Chunked transfers in progress now, those waiting for a resume included. */
    long activeTransfers();

    /** Spill space the transfers in progress have reserved on disk, in bytes (their whole declared sizes). */
    long spillBytes();

    /** Rejections so far, by close code (ascending). */
    Map<Integer, Long> rejections();
}
