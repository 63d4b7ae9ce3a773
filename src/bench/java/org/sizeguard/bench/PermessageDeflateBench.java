package org.sizeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;

import org.junit.jupiter.api.Test;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sizeguard.testclient.DeflatedMessages;
import org.sizeguard.testclient.RawWebSocketClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.Message;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;

/**
 * permessage-deflate on each server, in a server of the benchmark's own (1 GiB heap) with both WARs: on WildFly with
 * WildFly's own {@code per-message-deflate} switched on (which Sizeguard's WAR replaces with its own, and
 * {@code plain.war} keeps); on Payara, whose Tyrus has no deflate of its own, {@code plain.war} negotiates nothing:
 * <ol>
 * <li>for a JSON payload and for random bytes, wire bytes per message and echo throughput with and without
 * permessage-deflate (one message in flight, the client compressing as RFC 7692 asks, level 6, no context
 * takeover), on Sizeguard's {@code /echo} and on {@code plain.war}'s {@code /plain} with the container's own deflate
 * where it has one;</li>
 * <li>{@value #IDLE_DEFAULT} idle connections that negotiated the extension: heap and memory outside the heap of the
 * server before and after, per connection;</li>
 * <li>sixteen bombs at once (256 MiB of zeros each, 254 KiB on the wire): Sizeguard's {@code /echo}, and on WildFly
 * Undertow's own deflate on {@code plain.war}'s {@code /plain} (session buffer 1 MiB): close codes, the server's heap
 * in use at most during them (after full collections), and whether a fresh session is served afterwards.</li>
 * </ol>
 * Writes {@code target/bench/deflate-<server>.md}.
 */
@EnabledIfSystemProperty(named = "sizeguard.bench.server", matches = "payara|wildfly",
        disabledReason = "runs in the benchmark's Payara and WildFly executions")
class PermessageDeflateBench {

    private static final String SERVER = System.getProperty("sizeguard.bench.server", "");
    private static final boolean WILDFLY = SERVER.equals("wildfly");
    private static final String CONTAINER = WILDFLY ? "Undertow" : "Tyrus";

    private static final int IDLE_DEFAULT = 1000;
    private static final int IDLE = Integer.getInteger("bench.deflate.idle", IDLE_DEFAULT);
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.deflate.seconds", 5));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OFFER = "permessage-deflate; client_max_window_bits";
    private static final int RSV1 = DeflatedMessages.RSV1;
    private static final int BOMBS = 16;

    private final StringBuilder report = new StringBuilder();

    @Test
    void measuresWireBytesThroughputBombsAndIdleConnections() throws Exception {
        List<WebArchive> wars = List.of(BenchDeployments.sizeguard(),
                BenchDeployments.containerAlone());
        try (OwnServer server = WILDFLY ? OwnWildFly.start(wars, "-Xmx1g", "deflate-wildfly",
                xml -> xml.replace("<websockets/>", "<websockets per-message-deflate=\"true\"/>"))
                : OwnPayaraMicro.start(wars, "-Xmx1g", "deflate-payara")) {
            URL sizeguard = server.base("sizeguard");
            URL plain = server.base("plain");
            report.append("### permessage-deflate on " + (WILDFLY ? "WildFly" : "Payara") + "\n\nMeasured by "
                    + "`PermessageDeflateBench` (`mvn verify -Pbench`) in a " + (WILDFLY ? "WildFly" : "Payara Micro")
                    + " of its own (`-Xmx1g`" + (WILDFLY ? ", WildFly's own `per-message-deflate` on" : "")
                    + "), one message in flight, " + MEASURE.toSeconds() + " s per row after a warm-up.\n\n");
            throughput(sizeguard, plain);
            // Before the bombs, which leave the heap grown (and so the resident memory) for a while.
            idle(server, sizeguard);
            bombs(server, sizeguard, plain);
        }
        Path out = Path.of("target", "bench", "deflate-" + SERVER + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("| Sizeguard | JSON");
    }

    // ----- 1. wire bytes and throughput -----

    private void throughput(URL sizeguard, URL plain) throws Exception {
        String json = jsonEvents(300);
        byte[] random = new byte[32 * 1024];
        new Random(11).nextBytes(random);
        report.append("| endpoint | payload | bytes | on the wire, compressed (÷) | reply on the wire (÷) | echo without | "
                + "echo with permessage-deflate (÷ without) |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        URI guarded = BenchDeployments.ws(sizeguard, "echo");
        URI alone = BenchDeployments.ws(plain, "plain");
        row(guarded, "Sizeguard", "JSON (300 events)", RawWebSocketClient.TEXT, json.getBytes(StandardCharsets.UTF_8));
        row(alone, CONTAINER + " alone", "JSON (300 events)", RawWebSocketClient.TEXT,
                json.getBytes(StandardCharsets.UTF_8));
        row(guarded, "Sizeguard", "random bytes", RawWebSocketClient.BINARY, random);
        row(alone, CONTAINER + " alone", "random bytes", RawWebSocketClient.BINARY, random);
        report.append('\n');
    }

    private void row(URI echo, String endpoint, String name, int opcode, byte[] payload) throws Exception {
        double without;
        try (RawWebSocketClient client = RawWebSocketClient.connect(echo, true)) {
            without = rate(() -> {
                client.sendFrame(true, opcode, payload.length, PayloadSource.of(payload));
                return client.nextMessage(WAIT);
            });
        }
        double with;
        int sentBytes;
        int replyBytes;
        try (RawWebSocketClient client = RawWebSocketClient.connectOffering(echo, OFFER)) {
            if (!client.negotiatedExtensions().startsWith("permessage-deflate")) {
                report.append(String.format(Locale.ROOT, "| %s | %s | %,d | not negotiated | – | %,.0f/s | – |%n",
                        endpoint, name, payload.length, without));
                return;
            }
            byte[] first = compressed(payload);
            client.sendFrame(true, RSV1, opcode, first.length, PayloadSource.of(first));
            Message reply = client.nextMessage(WAIT);
            assertThat(reply.compressed()).isTrue();
            assertThat(inflated(reply.payload())).isEqualTo(payload);
            sentBytes = first.length;
            replyBytes = reply.payload().length;
            with = rate(() -> {
                byte[] message = compressed(payload);
                client.sendFrame(true, RSV1, opcode, message.length, PayloadSource.of(message));
                Message answer = client.nextMessage(WAIT);
                return answer == null ? null : inflated(answer.payload());
            });
        }
        report.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d (%.2f) | %,d (%.2f) | %,.0f/s | %,.0f/s (%.2f) |%n",
                endpoint, name, payload.length, sentBytes, sentBytes / (double) payload.length, replyBytes,
                replyBytes / (double) payload.length, without, with, with / without));
    }

    @FunctionalInterface
    private interface RoundTrip {
        Object run() throws Exception;
    }

    /** Round trips per second over {@link #MEASURE}, after a warm-up of the same length. */
    private static double rate(RoundTrip trip) throws Exception {
        for (long end = System.nanoTime() + MEASURE.toNanos(); System.nanoTime() < end; ) {
            if (trip.run() == null) {
                throw new AssertionError("no reply within " + WAIT);
            }
        }
        long count = 0;
        long start = System.nanoTime();
        long now = start;
        while (now < start + MEASURE.toNanos()) {
            if (trip.run() == null) {
                throw new AssertionError("no reply within " + WAIT);
            }
            count++;
            now = System.nanoTime();
        }
        return count / ((now - start) / 1e9);
    }

    // ----- 2. bombs -----

    private void bombs(OwnServer server, URL sizeguard, URL plain) throws Exception {
        byte[] bomb = DeflatedMessages.compressedRun(256L << 20, (byte) 0);
        report.append(String.format(Locale.ROOT, "Sixteen bombs at once, 256 MiB of zeros each (%,d bytes on the wire):%n%n",
                bomb.length));
        report.append("| endpoint | closes | heap in use before | at most during | growth | fresh session after |\n"
                + "| --- | --- | ---: | ---: | ---: | --- |\n");
        // Sizeguard first: Undertow's own deflate may leave the server out of memory. Tyrus has none to compare with.
        bombRow("Sizeguard `/sizeguard/echo`", BenchDeployments.ws(sizeguard, "echo"), sizeguard, bomb, server);
        if (WILDFLY) {
            bombRow("Undertow's own deflate, `/plain/plain`", BenchDeployments.ws(plain, "plain"), plain, bomb, server);
        }
        report.append('\n');
    }

    private void bombRow(String name, URI endpoint, URL base, byte[] bomb, OwnServer server) throws Exception {
        HeapSampler heap = new HeapSampler(BenchDeployments.http(base, "bench/heap"));
        long before = heap.sample();
        List<String> closes = new ArrayList<>();
        List<RawWebSocketClient> clients = new ArrayList<>();
        try (HeapSampler during = heap.start()) {
            for (int i = 0; i < BOMBS; i++) {
                RawWebSocketClient client = RawWebSocketClient.connectOffering(endpoint, OFFER);
                clients.add(client);
                if (!client.negotiatedExtensions().startsWith("permessage-deflate")) {
                    closes.add("not negotiated");
                }
            }
            for (RawWebSocketClient client : clients) {
                try {
                    client.sendFrame(true, RSV1, RawWebSocketClient.BINARY, bomb.length, PayloadSource.of(bomb));
                } catch (IOException dropped) {
                    closes.add("dropped while sending");
                }
            }
            for (RawWebSocketClient client : clients) {
                closes.add(outcome(client));
            }
            long max = Math.max(during.max(), heap.sample());
            String fresh = server.alive() ? freshSession(endpoint) : "server gone";
            report.append(String.format(Locale.ROOT, "| %s | %s | %,d MiB | %,d MiB | %,d MiB | %s |%n", name,
                    summary(closes), before >> 20, max >> 20, (max - before) >> 20, fresh));
        } catch (Exception failed) {
            report.append(String.format(Locale.ROOT, "| %s | %s | %,d MiB | – | – | %s |%n", name, summary(closes),
                    before >> 20, "failed: " + failed));
        } finally {
            for (RawWebSocketClient client : clients) {
                client.close();
            }
        }
    }

    /** The close code and reason, or what happened instead, within {@link #WAIT}. */
    private static String outcome(RawWebSocketClient client) {
        try {
            Close close = client.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return close.code() + " " + close.reason();
        } catch (TimeoutException none) {
            return "no close within " + WAIT.toSeconds() + " s";
        } catch (Exception dropped) {
            return "1006 (dropped)";
        }
    }

    private static String summary(List<String> outcomes) {
        StringBuilder summary = new StringBuilder();
        outcomes.stream().distinct().forEach(outcome -> summary.append(summary.length() == 0 ? "" : "; ")
                .append(outcomes.stream().filter(outcome::equals).count()).append(" × ").append(outcome));
        return summary.toString();
    }

    private static String freshSession(URI endpoint) {
        try (RawWebSocketClient client = RawWebSocketClient.connect(endpoint, true)) {
            client.sendText("fresh");
            Message reply = client.nextMessage(WAIT);
            return reply != null && "fresh".equals(reply.text()) ? "yes" : "no answer";
        } catch (Exception failed) {
            return "no: " + failed.getMessage();
        }
    }

    // ----- 3. idle connections -----

    private void idle(OwnServer server, URL sizeguard) throws Exception {
        URI echo = BenchDeployments.ws(sizeguard, "echo");
        HeapSampler heap = new HeapSampler(BenchDeployments.http(sizeguard, "bench/heap"));
        long heapBefore = heap.sample();
        long nativeBefore = rss(server) - committed(heap);
        List<RawWebSocketClient> clients = new ArrayList<>();
        try {
            byte[] hello = compressed("hello".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < IDLE; i++) {
                RawWebSocketClient client = RawWebSocketClient.connectOffering(echo, OFFER);
                clients.add(client);
                client.sendFrame(true, RSV1, RawWebSocketClient.TEXT, hello.length, PayloadSource.of(hello));
            }
            // "hello" is answered uncompressed on Payara, below its threshold of 128 bytes.
            int negotiated = 0;
            for (RawWebSocketClient client : clients) {
                Message reply = client.nextMessage(WAIT);
                if (reply != null && client.negotiatedExtensions().startsWith("permessage-deflate")) {
                    negotiated++;
                }
            }
            long heapAfter = heap.sample();
            long nativeAfter = rss(server) - committed(heap);
            report.append(String.format(Locale.ROOT, "%,d idle connections that negotiated permessage-deflate and "
                    + "exchanged one compressed message (%,d answered): heap in use after a full collection "
                    + "%,d → %,d MiB (%,d bytes per connection); memory outside the heap (resident memory minus the "
                    + "committed heap) %,d → %,d MiB (%,d bytes per connection). Both are all of the server's costs for a "
                    + "connection, the container's included.%n%n", IDLE, negotiated, heapBefore >> 20, heapAfter >> 20,
                    (heapAfter - heapBefore) / IDLE, nativeBefore >> 20, nativeAfter >> 20,
                    (nativeAfter - nativeBefore) / IDLE));
        } finally {
            for (RawWebSocketClient client : clients) {
                client.close();
            }
        }
    }

    /** The committed heap of the sampler's last answer ({@code committed=<bytes>}). */
    private static long committed(HeapSampler heap) {
        Matcher committed = Pattern.compile("committed=(\\d+)").matcher(heap.lastLine());
        if (!committed.find()) {
            throw new IllegalStateException("no committed heap in " + heap.lastLine());
        }
        return Long.parseLong(committed.group(1));
    }

    /** The server JVM's resident memory, from {@code /proc/<pid>/status}. */
    private static long rss(OwnServer server) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(server.process().pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    // ----- payloads and compression -----

    /** A JSON array of analytics events, as a tracking client sends them (about 150 bytes each). */
    static String jsonEvents(int count) {
        StringBuilder json = new StringBuilder("{\"source\":\"web-shop-frontend\",\"events\":[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "{\"id\":\"evt-%08x-%04x\",\"timestamp\":%d,"
                    + "\"type\":\"%s\",\"userId\":%d,\"page\":\"/products/%d?ref=search\",\"x\":%d,\"y\":%d,\"converted\":%b}",
                    i * 2654435761L & 0xffffffffL, i, 1_795_600_000_000L + i * 137L,
                    i % 3 == 0 ? "click" : i % 3 == 1 ? "view" : "scroll", 10_000 + i % 40, 1000 + i % 25,
                    i * 7 % 1920, i * 13 % 1080, i % 17 == 0));
        }
        return json.append("]}").toString();
    }

    /** Level 6, what Node ws and browsers use by default. */
    private static byte[] compressed(byte[] message) {
        return DeflatedMessages.compressed(message, 6);
    }

    private static byte[] inflated(byte[] payload) throws DataFormatException {
        return DeflatedMessages.inflated(payload);
    }
}
