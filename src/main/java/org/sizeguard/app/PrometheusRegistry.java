package org.sizeguard.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The WAR's {@code MeterRegistry}: one Prometheus registry for the application, scraped at {@code /metrics}. Being a
 * {@code MeterRegistry} bean is all it takes for Sizeguard to bind its meters to it, as it would to a user's own.
 * {@link Singleton}, not {@code @ApplicationScoped}: the registry has no constructor a client proxy could use.
 */
@ApplicationScoped
public class PrometheusRegistry {

    @Produces
    @Singleton
    PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    void close(@Disposes PrometheusMeterRegistry registry) {
        registry.close();
    }
}
