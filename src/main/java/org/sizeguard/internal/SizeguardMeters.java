package org.sizeguard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import jakarta.enterprise.inject.spi.CDI;

import org.sizeguard.MessageKind;

/**
 * Sizeguard's numbers as Micrometer meters. Every meter reads {@link LiveStats} when it is scraped (gauges and
 * function counters, no meter of its own is updated on a message's thread), so {@code /stats} and a scrape always
 * agree, and a message costs nothing more for the metrics. Named by Prometheus conventions once the registry's
 * naming convention applies ({@code sizeguard.refusals} becomes {@code sizeguard_refusals_total}); labels are the
 * endpoint's path template, the message kind and the close code, never a session or a client.
 *
 * <p>This is the only class of the core that names Micrometer: it is loaded only when Micrometer is on the
 * application's class path ({@link SizeguardInitializer} checks first), so the core works without it.
 */
final class SizeguardMeters implements MeterBinder, AutoCloseable {

    private final LiveStats stats;
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;

    SizeguardMeters(LiveStats stats) {
        this.stats = stats;
    }

    /**
     * Binds the meters to every {@code MeterRegistry} bean the application has; none if it has none.
     *
     * @return what to close when the application stops, which removes the meters again
     */
    static List<AutoCloseable> bindToApplicationRegistries(LiveStats stats) {
        List<AutoCloseable> bound = new ArrayList<>();
        for (MeterRegistry registry : CDI.current().select(MeterRegistry.class)) {
            SizeguardMeters meters = new SizeguardMeters(stats);
            meters.bindTo(registry);
            bound.add(meters);
        }
        return bound;
    }

    @Override
    public void bindTo(MeterRegistry target) {
        this.registry = target;
        gauge("sizeguard.sessions.open", null, "Guarded WebSocket sessions open now", LiveStats::openSessions);
        gauge("sizeguard.messages.in.progress", null,
                "Messages whose first part has arrived and whose last has not", LiveStats::messagesInProgress);
        gauge("sizeguard.buffered", "bytes",
                "Bytes held now for messages in flight and queued sends, as reserved against the budget",
                LiveStats::bufferedBytes);
        gauge("sizeguard.budget", "bytes", "The server-wide budget of buffered bytes (sizeguard.max-buffered-bytes)",
                LiveStats::budgetBytes);
        gauge("sizeguard.streams.active", null, "Endpoint methods reading a message as a stream now",
                LiveStats::activeStreams);
        gauge("sizeguard.stream.slots", null, "Stream reader slots (sizeguard.max-concurrent-streams)",
                LiveStats::streamSlots);
        gauge("sizeguard.sends.queued", null, "Messages handed to the container to send and not yet written",
                LiveStats::queuedSends);
        counter("sizeguard.sends.failed", null, Tags.empty(),
                "Sends that failed or were refused (a client that stopped reading, a closed session)", stats,
                LiveStats::failedSends);
        counter("sizeguard.inflated", "bytes", Tags.empty(),
                "Bytes inflated by permessage-deflate and by inflating decoders", stats, LiveStats::inflatedBytes);
        gauge("sizeguard.transfers.active", null, "Chunked transfers in progress, those waiting for a resume included",
                LiveStats::activeTransfers);
        gauge("sizeguard.transfer.spill", "bytes", "Spill space on disk the transfers in progress have reserved",
                LiveStats::spillBytes);
        counter("sizeguard.transfers.completed", null, Tags.empty(),
                "Chunked transfers verified and handed to the application", stats, LiveStats::completedTransfers);
        counter("sizeguard.transfers.resumed", null, Tags.empty(), "Resumes of chunked transfers accepted", stats,
                LiveStats::resumedTransfers);
        counter("sizeguard.transfers.failed", null, Tags.empty(),
                "Chunked transfers refused, past their deadline or not resumed in time", stats,
                LiveStats::failedTransfers);
        counter("sizeguard.transfers.cancelled", null, Tags.empty(), "Chunked transfers cancelled by their clients",
                stats, LiveStats::cancelledTransfers);
        for (EndpointCounters endpoint : stats.endpointCounters()) {
            for (MessageKind kind : MessageKind.values()) {
                Tags tags = Tags.of("endpoint", endpoint.path(), "kind", kind.name().toLowerCase(Locale.ROOT));
                counter("sizeguard.messages.received", null, tags,
                        "Messages that arrived whole within their limits", endpoint, counts -> counts.messages(kind));
                counter("sizeguard.received", "bytes", tags,
                        "Payload bytes counted against the limits, of accepted and of refused messages", endpoint,
                        counts -> counts.bytes(kind));
            }
            for (int code : EndpointCounters.REFUSAL_CODES) {
                counter("sizeguard.refusals", null, Tags.of("endpoint", endpoint.path(), "code", Integer.toString(code)),
                        "Sessions closed for what their client sent, by close code", endpoint,
                        counts -> counts.refusals(code));
            }
            counter("sizeguard.deadline.expiries", null, Tags.of("endpoint", endpoint.path()),
                    "Messages and transfers not completed within their deadline", endpoint,
                    EndpointCounters::deadlineExpiries);
        }
    }

    private void gauge(String name, String unit, String description, ToDoubleFunction<LiveStats> value) {
        meters.add(Gauge.builder(name, stats, value).description(description).baseUnit(unit).strongReference(true)
                .register(registry));
    }

    private <T> void counter(String name, String unit, Tags tags, String description, T counts,
            ToDoubleFunction<T> value) {
        meters.add(FunctionCounter.builder(name, counts, value).description(description).baseUnit(unit).tags(tags)
                .register(registry));
    }

    /** Removes the meters from the registry (the application stops; the registry may outlive it). */
    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        meters.clear();
    }
}
