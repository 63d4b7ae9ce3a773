package org.sizeguard.it.usermetrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A user's own {@code MeterRegistry} bean, as an application with Micrometer has one: Sizeguard binds to it. */
@ApplicationScoped
public class UserMeterRegistry {

    @Produces
    @Singleton
    MeterRegistry registry() {
        return new SimpleMeterRegistry();
    }
}
