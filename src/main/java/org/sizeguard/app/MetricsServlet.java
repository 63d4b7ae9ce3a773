package org.sizeguard.app;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /sizeguard/metrics}: every meter of the application's registry ({@link PrometheusRegistry}), Sizeguard's
 * {@code sizeguard_*} among them, in the Prometheus text exposition format 0.0.4, or in OpenMetrics 1.0.0 when the
 * scraper's {@code Accept} header names {@code application/openmetrics-text} (as Prometheus's does). The meters read
 * counters that message handling keeps anyway, so a scrape takes no lock a message needs.
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    @Inject
    transient PrometheusMeterRegistry registry;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String accept = request.getHeader("Accept");
        String format = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT
                : TEXT_FORMAT;
        response.setContentType(format);
        response.setHeader("Cache-Control", "no-store");
        registry.scrape(response.getOutputStream(), format);
    }
}
