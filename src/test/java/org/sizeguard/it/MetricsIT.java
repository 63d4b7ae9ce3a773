package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.RawWebSocketClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.transfer.OnTransfer;

/**
 * {@code GET /sizeguard/metrics} on each server, parsed by the Prometheus Python client's own parsers
 * ({@code src/test/python/scrape_check.py}, Debian's python3-prometheus-client): a refusal of each kind moves its
 * counter by exactly one, the gauges return to zero when the sessions close, {@code /stats} shows the same numbers,
 * OpenMetrics is served to a scraper that asks for it, and a scrape under load answers within a second.
 */
@ExtendWith(ArquillianExtension.class)
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    /** One parsed scrape: every sample by name and labels. */
    private record Scrape(String contentType, Map<String, JsonObject> families, Map<String, Double> samples) {
        /** The sample {@code name} with exactly {@code labels} (name, value, name, value …). */
        double value(String name, String... labels) {
            Map<String, String> wanted = new HashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            Double value = samples.get(key(name, wanted));
            assertThat(value).as("sample " + key(name, wanted) + " in the scrape").isNotNull();
            return value;
        }

        static String key(String name, Map<String, String> labels) {
            return name + new java.util.TreeMap<>(labels);
        }
    }

    private Scrape scrape(String format) throws Exception {
        ClientScript.Run run = ClientScript.python("prometheus_client", "scrape_check.py", "scrape-" + format + ".json",
                WAIT, Deployments.http(base, "metrics").toString(), format);
        assertThat(run.finished()).as("the scrape finished").isTrue();
        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonObject parsed;
        try (var reader = Json.createReader(new StringReader(run.output()))) {
            parsed = reader.readObject();
        }
        Map<String, JsonObject> families = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        for (JsonValue value : parsed.getJsonArray("families")) {
            JsonObject family = value.asJsonObject();
            families.put(family.getString("name"), family);
            for (JsonValue sampleValue : family.getJsonArray("samples")) {
                JsonObject sample = sampleValue.asJsonObject();
                Map<String, String> labels = new HashMap<>();
                sample.getJsonObject("labels").forEach((label, text) -> labels.put(label,
                        ((jakarta.json.JsonString) text).getString()));
                samples.put(Scrape.key(sample.getString("name"), labels), sample.getJsonNumber("value").doubleValue());
            }
        }
        return new Scrape(parsed.getString("contentType"), families, samples);
    }

    private JsonObject stats() throws Exception {
        try (var reader = Json.createReader(new StringReader(Deployments.get(base, "stats")))) {
            return reader.readObject();
        }
    }

    @Test
    void countsEachRefusalByEndpointAndCloseCodeExactlyOnceAndTheGaugesReturnToZero() throws Exception {
        Scrape before = scrape("text");
        String refusals = "sizeguard_refusals_total";

        try (RawWebSocketClient echo = RawWebSocketClient.connect(Deployments.ws(base, "echo"))) {
            echo.sendText("fits");
            assertThat(echo.nextMessage(WAIT).text()).isEqualTo("fits");
            echo.sendText("x".repeat(64 * 1024 + 1));
            assertThat(echo.awaitClose(WAIT).code()).isEqualTo(1009);
        }
        try (RawWebSocketClient json = RawWebSocketClient.connect(Deployments.ws(base, "json"))) {
            json.sendText("{\"a\": nope}");
            assertThat(json.awaitClose(WAIT).code()).isEqualTo(1007);
        }
        try (RawWebSocketClient transfer = RawWebSocketClient.connectSpeaking(Deployments.ws(base, "transfer"),
                OnTransfer.SUBPROTOCOL)) {
            transfer.sendBinary(new byte[] {1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 42});
            assertThat(transfer.awaitClose(WAIT)).extracting(Close::code, Close::reason)
                    .containsExactly(1008, "chunk for no transfer of this connection");
        }
        refuseATransferForSpillSpace();

        Scrape after = await().atMost(WAIT).until(() -> scrape("text"),
                scrape -> scrape.value("sizeguard_sessions_open") == 0);
        assertThat(moved(before, after, refusals, "endpoint", "/echo", "code", "1009")).isEqualTo(1);
        assertThat(moved(before, after, refusals, "endpoint", "/json", "code", "1007")).isEqualTo(1);
        assertThat(moved(before, after, refusals, "endpoint", "/transfer", "code", "1008")).isEqualTo(1);
        assertThat(moved(before, after, refusals, "endpoint", "/transfer", "code", "1013")).isEqualTo(1);
        assertThat(moved(before, after, refusals, "endpoint", "/echo", "code", "1008")).as("nothing else moved")
                .isZero();
        assertThat(moved(before, after, "sizeguard_messages_received_total", "endpoint", "/echo", "kind", "text"))
                .as("the one message that fitted").isEqualTo(1);
        // The refused message counts as far as it was read: Payara's frame relay refuses it from its header.
        assertThat(moved(before, after, "sizeguard_received_bytes_total", "endpoint", "/echo", "kind", "text"))
                .as("4 bytes that fitted, and what was read of the refused one").isBetween(4.0, 4.0 + 64 * 1024 + 1);
        assertThat(moved(before, after, "sizeguard_transfers_failed_total")).as("the chunk's transfer never began")
                .isZero();
        assertThat(moved(before, after, "sizeguard_transfers_cancelled_total")).as("the four that held spill space")
                .isEqualTo(4);

        for (String gauge : List.of("sizeguard_sessions_open", "sizeguard_messages_in_progress",
                "sizeguard_buffered_bytes", "sizeguard_streams_active", "sizeguard_sends_queued",
                "sizeguard_transfers_active", "sizeguard_transfer_spill_bytes")) {
            assertThat(after.value(gauge)).as(gauge).isZero();
        }
        JsonObject stats = stats();
        assertThat(stats.getJsonObject("endpoints").getJsonObject("/echo").getJsonObject("refusals").getInt("1009"))
                .as("/stats reads the same counter").isEqualTo((int) after.value(refusals, "endpoint", "/echo",
                        "code", "1009"));
        assertThat(stats.getJsonNumber("budgetBytes").doubleValue()).isEqualTo(after.value("sizeguard_budget_bytes"));
    }

    /** Four transfers of nearly 1 GiB declared take the tests' 4 GiB of spill space; a fifth start gets 1013. */
    private void refuseATransferForSpillSpace() throws Exception {
        List<RawWebSocketClient> holders = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawWebSocketClient holder = RawWebSocketClient.connectSpeaking(Deployments.ws(base, "transfer"),
                        OnTransfer.SUBPROTOCOL);
                holders.add(holder);
                holder.sendText("{\"type\":\"start\",\"size\":" + ((1L << 30) - (1L << 20)) + "}");
                ids.add(json(holder.nextMessage(WAIT).text()).getString("id"));
            }
            try (RawWebSocketClient fifth = RawWebSocketClient.connectSpeaking(Deployments.ws(base, "transfer"),
                    OnTransfer.SUBPROTOCOL)) {
                fifth.sendText("{\"type\":\"start\",\"size\":1073741824}");
                assertThat(fifth.awaitClose(WAIT).code()).isEqualTo(1013);
            }
        } finally {
            for (int i = 0; i < holders.size(); i++) {
                if (i < ids.size()) {
                    holders.get(i).sendText("{\"type\":\"cancel\",\"id\":\"" + ids.get(i) + "\"}");
                    assertThat(json(holders.get(i).nextMessage(WAIT).text()).getString("type")).isEqualTo("cancelled");
                }
                holders.get(i).close();
            }
        }
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static double moved(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    @Test
    void describesEveryMeterAndServesOpenMetricsToAScraperThatAsksForIt() throws Exception {
        Scrape text = scrape("text");
        Scrape openMetrics = scrape("openmetrics");

        assertThat(text.contentType()).startsWith("text/plain").contains("version=0.0.4");
        assertThat(openMetrics.contentType()).startsWith("application/openmetrics-text").contains("version=1.0.0");
        List<String> sizeguard = text.families().keySet().stream().filter(name -> name.startsWith("sizeguard_"))
                .sorted().toList();
        assertThat(sizeguard).contains("sizeguard_refusals", "sizeguard_messages_received", "sizeguard_received_bytes",
                "sizeguard_buffered_bytes", "sizeguard_budget_bytes", "sizeguard_sessions_open",
                "sizeguard_streams_active", "sizeguard_stream_slots", "sizeguard_sends_queued",
                "sizeguard_sends_failed", "sizeguard_deadline_expiries", "sizeguard_inflated_bytes",
                "sizeguard_transfers_active", "sizeguard_transfers_completed", "sizeguard_transfers_resumed",
                "sizeguard_transfers_failed", "sizeguard_transfer_spill_bytes");
        for (String name : sizeguard) {
            assertThat(text.families().get(name).getString("documentation")).as(name + " has a description")
                    .isNotBlank();
            assertThat(openMetrics.families()).as(name + " in OpenMetrics too").containsKey(name);
        }
        assertThat(text.families().get("sizeguard_refusals").getString("type")).isEqualTo("counter");
        assertThat(text.families().get("sizeguard_sessions_open").getString("type")).isEqualTo("gauge");
        assertThat(text.samples().keySet()).as("no session id or client address is a label")
                .noneMatch(key -> key.contains("session") && !key.startsWith("sizeguard_sessions_open"))
                .noneMatch(key -> key.contains("127.0.0.1"));
    }

    @Test
    void answersAScrapeWithinASecondWhileEightClientsEcho() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong echoed = new AtomicLong();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(CompletableFuture.runAsync(() -> {
                try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "echo"))) {
                    byte[] message = new byte[32 * 1024];
                    while (running.get()) {
                        client.sendBinary(message);
                        assertThat(client.nextMessage(WAIT).payload()).hasSize(message.length);
                        echoed.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(WAIT).until(() -> echoed.get() > 100);
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(Deployments.http(base, "metrics"))
                        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("sizeguard_sessions_open");
                assertThat(millis).as("scrape %d under load", i).isLessThan(1000);
            }
        } finally {
            running.set(false);
        }
        for (CompletableFuture<Void> client : clients) {
            client.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(echoed.get()).as("the echoes went on during the scrapes").isGreaterThan(100);
    }
}
