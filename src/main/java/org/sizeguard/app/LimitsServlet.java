package org.sizeguard.app;

import java.io.IOException;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;

/**
 * {@code GET /sizeguard/limits}: the effective policy of every guarded endpoint, as JSON, for the page at
 * {@code /sizeguard/} and for anyone checking a deployment's configuration.
 * <pre>{"default":{"name":"default","maxTextBytes":65536,"maxBinaryBytes":1048576,"maxTextStreamBytes":65536,
 *  "maxBinaryStreamBytes":1048576,"completionTimeoutMillis":30000,"maxNestingDepth":64,"maxElements":100000,
 *  "maxValueBytes":1048576,...},"endpoints":{"/echo":{...,"transfers":false}}}</pre>
 * Each endpoint says whether it takes chunked transfers ({@code "transfers"}), to which its transfer settings apply.
 */
@WebServlet("/limits")
public class LimitsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient SizePolicies policies;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObjectBuilder endpoints = Json.createObjectBuilder();
        for (Map.Entry<String, MessageSizePolicy> endpoint : policies.endpoints().entrySet()) {
            endpoints.add(endpoint.getKey(), json(endpoint.getValue())
                    .add("transfers", policies.takesTransfers(endpoint.getKey())));
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        // Public, read-only settings: a page served elsewhere (the JavaScript client copied into another site)
        // reads them before it sends a transfer.
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.getWriter().write(Json.createObjectBuilder()
                .add("default", json(policies.defaultPolicy()))
                .add("endpoints", endpoints)
                .build().toString());
    }

    /** The policy's name and every setting's effective value, under the name its declaration reports it by. */
    private JsonObjectBuilder json(MessageSizePolicy policy) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("name", policy.name());
        policies.settings(policy).forEach((name, value) -> {
            if (value instanceof Boolean on) {
                json.add(name, on);
            } else {
                json.add(name, ((Number) value).longValue());
            }
        });
        return json;
    }
}
