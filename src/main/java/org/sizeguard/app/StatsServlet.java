package org.sizeguard.app;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardStats;
import org.sizeguard.SizeguardStats.EndpointCounts;

/**
 * {@code GET /sizeguard/stats}: what Sizeguard holds right now, as JSON:
 * <pre>{"openSessions":0,"messagesInProgress":0,"bufferedBytes":0,"budgetBytes":134217728,"activeStreams":0,
 * "streamSlots":16,"queuedSends":0,"failedSends":0,"activeTransfers":0,"spillBytes":0,"completedTransfers":2,
 * "resumedTransfers":1,"failedTransfers":0,"cancelledTransfers":0,"inflatedBytes":45713,"rejections":{"1009":3},
 * "endpoints":{"/echo":{"messages":{"text":5,"binary":0},"bytes":{"text":70000,"binary":0},
 * "refusals":{"1002":0,"1003":0,"1007":0,"1008":0,"1009":3,"1013":0},"deadlineExpiries":0}}}</pre>
 * {@code bufferedBytes} is what is reserved against the server-wide budget ({@code budgetBytes}): buffer capacity,
 * not just content. The same numbers as the {@code sizeguard_*} meters at {@code /metrics}
 * ({@link SizeguardStats}).
 */
@WebServlet("/stats")
public class StatsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient SizeguardStats stats;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObjectBuilder rejections = Json.createObjectBuilder();
        stats.rejections().forEach((code, count) -> rejections.add(Integer.toString(code), count));
        JsonObjectBuilder endpoints = Json.createObjectBuilder();
        for (EndpointCounts endpoint : stats.endpoints()) {
            JsonObjectBuilder refusals = Json.createObjectBuilder();
            endpoint.refusals().forEach((code, count) -> refusals.add(Integer.toString(code), count));
            endpoints.add(endpoint.path(), Json.createObjectBuilder()
                    .add("messages", byKind(endpoint.messages()))
                    .add("bytes", byKind(endpoint.bytes()))
                    .add("refusals", refusals)
                    .add("deadlineExpiries", endpoint.deadlineExpiries()));
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(Json.createObjectBuilder()
                .add("openSessions", stats.openSessions())
                .add("messagesInProgress", stats.messagesInProgress())
                .add("bufferedBytes", stats.bufferedBytes())
                .add("budgetBytes", stats.budgetBytes())
                .add("activeStreams", stats.activeStreams())
                .add("streamSlots", stats.streamSlots())
                .add("queuedSends", stats.queuedSends())
                .add("failedSends", stats.failedSends())
                .add("activeTransfers", stats.activeTransfers())
                .add("spillBytes", stats.spillBytes())
                .add("completedTransfers", stats.completedTransfers())
                .add("resumedTransfers", stats.resumedTransfers())
                .add("failedTransfers", stats.failedTransfers())
                .add("cancelledTransfers", stats.cancelledTransfers())
                .add("inflatedBytes", stats.inflatedBytes())
                .add("rejections", rejections)
                .add("endpoints", endpoints)
                .build().toString());
    }

    private static JsonObjectBuilder byKind(Map<MessageKind, Long> counts) {
        JsonObjectBuilder byKind = Json.createObjectBuilder();
        for (MessageKind kind : MessageKind.values()) {
            byKind.add(kind.name().toLowerCase(Locale.ROOT), counts.getOrDefault(kind, 0L));
        }
        return byKind;
    }
}
