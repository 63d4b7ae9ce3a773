package org.sizeguard.app;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.sizeguard.SizeguardStats;

/**
 * {@code GET /sizeguard/stats}: what Sizeguard holds right now, as JSON:
 * <pre>{"openSessions":0,"messagesInProgress":0,"bufferedBytes":0,"budgetBytes":134217728,"activeStreams":0,
 * "streamSlots":16,"queuedSends":0,"failedSends":0,"rejections":{"1009":3}}</pre>
 * {@code bufferedBytes} is what is reserved against the server-wide budget ({@code budgetBytes}): buffer capacity,
 * not just content.
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
                .add("rejections", rejections)
                .build().toString());
    }
}
