package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class SizeguardMetersTest {

    private final MemoryBudget budget = new MemoryBudget(10_000);
    private final LiveStats stats = new LiveStats(budget::reserved, budget.limit(), () -> 0, 3);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void countersReadTheStatsLiveByEndpointKindAndCloseCode() {
        EndpointCounters echo = stats.endpoint("/echo");
        new SizeguardMeters(stats).bindTo(registry);

        echo.received(MessageKind.TEXT, 10, false);
        echo.received(MessageKind.TEXT, 5, true);
        stats.rejected(echo, 1009);
        echo.deadlineExpired();

        assertThat(counter("sizeguard.messages.received", "endpoint", "/echo", "kind", "text")).isEqualTo(1);
        assertThat(counter("sizeguard.messages.received", "endpoint", "/echo", "kind", "binary")).isZero();
        assertThat(counter("sizeguard.received", "endpoint", "/echo", "kind", "text")).isEqualTo(15);
        assertThat(counter("sizeguard.refusals", "endpoint", "/echo", "code", "1009")).isEqualTo(1);
        assertThat(counter("sizeguard.refusals", "endpoint", "/echo", "code", "1013")).as("every code from zero")
                .isZero();
        assertThat(counter("sizeguard.deadline.expiries", "endpoint", "/echo")).isEqualTo(1);
        assertThat(stats.rejections()).as("/stats reads the same count").containsEntry(1009, 1L);
    }

    @Test
    void gaugesFollowWhatIsHeldAndReturnToZero() {
        new SizeguardMeters(stats).bindTo(registry);
        Gauge buffered = registry.get("sizeguard.buffered").gauge();
        Gauge sessions = registry.get("sizeguard.sessions.open").gauge();

        budget.reserve(4_096);
        stats.sessionOpened();
        assertThat(buffered.value()).isEqualTo(4_096);
        assertThat(sessions.value()).isEqualTo(1);
        assertThat(registry.get("sizeguard.budget").gauge().value()).isEqualTo(10_000);
        assertThat(registry.get("sizeguard.stream.slots").gauge().value()).isEqualTo(3);

        budget.release(4_096);
        stats.sessionClosed();
        assertThat(buffered.value()).isZero();
        assertThat(sessions.value()).isZero();
    }

    @Test
    void everyMeterHasADescriptionAndBaseUnitsNameBytes() {
        stats.endpoint("/echo");
        new SizeguardMeters(stats).bindTo(registry);

        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> assertThat(meter.getId().getDescription())
                .as(meter.getId().getName()).isNotBlank());
        assertThat(registry.get("sizeguard.received").functionCounter().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(registry.get("sizeguard.buffered").gauge().getId().getBaseUnit()).isEqualTo("bytes");
    }

    @Test
    void closingRemovesTheMetersFromARegistryThatOutlivesTheApplication() {
        stats.endpoint("/echo");
        SizeguardMeters meters = new SizeguardMeters(stats);
        meters.bindTo(registry);
        assertThat(registry.find("sizeguard.refusals").functionCounters()).isNotEmpty();

        meters.close();

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void inflatedBytesAreCountedOnce() {
        new SizeguardMeters(stats).bindTo(registry);
        stats.inflated(1_000);
        stats.inflated(24);

        FunctionCounter inflated = registry.get("sizeguard.inflated").functionCounter();
        assertThat(inflated.count()).isEqualTo(1_024);
        assertThat(stats.inflatedBytes()).isEqualTo(1_024);
    }
}
