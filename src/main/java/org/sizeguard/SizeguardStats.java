package org.sizeguard;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.inject.spi.CDI;

/**
 * Live counts of what Sizeguard holds for the guarded sessions of one application, so that operators (and tests)
 * can see that a rejected or closed session leaves nothing behind. Read-only and thread-safe. Gauges (what is held
 * now) return to zero when the sessions that hold it end; counters (so far) only grow while the application runs.
 * Available through CDI ({@code @Inject SizeguardStats}), from {@link #current()}, as JSON at
 * {@code /sizeguard/stats} in Sizeguard's WAR, and as Micrometer meters named {@code sizeguard.*} in the
 * application's {@code MeterRegistry} bean, if it has one (docs/metrics.md), which read these very numbers.
 */
public interface SizeguardStats {

    /**
     * The counts of the application whose classes this interface was loaded with (see {@link SizePolicies#current()}).
     *
     * Looked up through CDI ({@link CDI#current()}), as {@code @Inject} would.
     *
     * @throws IllegalStateException before Sizeguard has initialised the application, or where CDI is not available
     */
    static SizeguardStats current() {
        return CDI.current().select(SizeguardStats.class).get();
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

    /** Chunked transfers completed so far: verified and handed to the application, which did not refuse them. */
    long completedTransfers();

    /** Resumes of chunked transfers accepted so far (a transfer resumed twice counts twice). */
    long resumedTransfers();

    /**
     * Chunked transfers that ended without completing so far: refused for breaking a rule or by the application,
     * past their deadline, or not resumed within their retention. Cancelled ones are not counted here.
     */
    long failedTransfers();

    /** Chunked transfers their clients cancelled so far. */
    long cancelledTransfers();

    /** Bytes inflated so far, by permessage-deflate and by Sizeguard's inflating decoders, counted as they inflate. */
    long inflatedBytes();

    /** Counters of each guarded endpoint, by path template (ascending), every endpoint from its deployment on. */
    List<EndpointCounts> endpoints();

    /**
     * What one endpoint has received and refused so far.
     *
     * @param path             the endpoint's path template, e.g. {@code /rooms/{room}}
     * @param messages         messages that arrived whole within their limits, by kind (every kind present)
     * @param bytes            payload bytes the limits counted, by kind: of accepted messages and of refused ones up
     *                         to the refusal (text in UTF-8 bytes, compressed messages as inflated)
     * @param refusals         sessions this endpoint closed with a refusal, by close code (ascending)
     * @param deadlineExpiries messages and transfers not completed within their deadline
     */
    record EndpointCounts(String path, Map<MessageKind, Long> messages, Map<MessageKind, Long> bytes,
            Map<Integer, Long> refusals, long deadlineExpiries) {
        public EndpointCounts {
            messages = Map.copyOf(messages);
            bytes = Map.copyOf(bytes);
            refusals = Collections.unmodifiableMap(new TreeMap<>(refusals));
        }
    }
}
