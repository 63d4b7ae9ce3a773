package org.sizeguard.it.usermetrics;

import java.io.IOException;
import java.util.Comparator;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code GET /usermetrics/meters}: the user's registry's {@code sizeguard.*} meters, one per line,
 * {@code name{tag=value,...} value}, as the user's own code would read them.
 */
@WebServlet("/meters")
public class UserMetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient MeterRegistry registry;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        StringBuilder lines = new StringBuilder();
        registry.getMeters().stream().filter(meter -> meter.getId().getName().startsWith("sizeguard."))
                .sorted(Comparator.comparing(meter -> meter.getId().toString()))
                .forEach(meter -> lines.append(line(meter)).append('\n'));
        response.getWriter().write(lines.toString());
    }

    private static String line(Meter meter) {
        String tags = meter.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue())
                .collect(Collectors.joining(","));
        double value = meter.measure().iterator().next().getValue();
        return meter.getId().getName() + "{" + tags + "} " + (long) value;
    }
}
