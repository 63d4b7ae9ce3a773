package org.sizeguard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.assertj.core.api.SoftAssertions;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.it.plain.PlainEcho;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient.Message;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * Measures what the server does on its own versus with Sizeguard, with the same messages from a raw frame
 * writer, and writes the comparison as a Markdown table to {@code target/comparison/<arquillian.launch>.md}.
 * <ul>
 * <li>Container alone: {@code plain.war} with {@link PlainEcho} only (session buffers 64 KiB text, 1 MiB binary
 * set in {@code @OnOpen}), endpoint {@code /plain/plain}. Measured, never asserted.</li>
 * <li>Sizeguard: the built {@code sizeguard.war} (default policy 64 KiB text, 1 MiB binary), endpoint
 * {@code /sizeguard/echo}. Every case is over a limit, so each must close with 1009 and Sizeguard's reason, and
 * a new session must work afterwards ({@code EchoLimitsIT} checks the same cases in the test suite).</li>
 * </ul>
 * Part of the benchmark ({@code mvn verify -Pbench}), not of the tests: the container's own column is a
 * measurement that asserts nothing.
 * The Payara Micro adapter starts one server per deployment and keeps only the last one, so the two WARs are
 * deployed one after the other ({@code managed = false}, deployed around each test method), never together.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerComparisonBench {

    private static final String PLAIN = "plain";
    private static final String GUARDED = "guarded";
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Runs of each case, each on a new connection. Some outcomes are races (WildFly alone echoed a 1 MiB + 1 B
     * binary frame in one run of five and closed 1009 in the others), so one run could mislead the table.
     */
    private static final int RUNS = 5;
    private static final String TEXT_TOO_BIG = "text message exceeds 65536 bytes";
    private static final String BINARY_TOO_BIG = "binary message exceeds 1048576 bytes";

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final byte[] EUROS = "€".repeat(21_846).getBytes(StandardCharsets.UTF_8);

    /** Every case sends more than the limit of its kind (64 KiB text, 1 MiB binary). */
    private static final List<Case> CASES = List.of(
            new Case("text 65,537 B, one frame", RawWebSocketClient.TEXT, 65_537, 0, ascii()),
            new Case("text 65,537 B in 16 KiB frames", RawWebSocketClient.TEXT, 65_537, 16 * KIB, ascii()),
            new Case("text 21,846 × '€' (65,538 UTF-8 bytes), one frame", RawWebSocketClient.TEXT,
                    EUROS.length, 0, PayloadSource.of(EUROS)),
            new Case("text 1 MiB, one frame", RawWebSocketClient.TEXT, MIB, 0, ascii()),
            new Case("text 8 MiB, one frame", RawWebSocketClient.TEXT, 8 * MIB, 0, ascii()),
            new Case("text 64 MiB, one frame", RawWebSocketClient.TEXT, 64 * MIB, 0, ascii()),
            new Case("text 64 MiB in 64 KiB frames", RawWebSocketClient.TEXT, 64 * MIB, 64 * KIB, ascii()),
            new Case("binary 1 MiB + 1 B, one frame", RawWebSocketClient.BINARY, MIB + 1, 0, ascii()),
            new Case("binary 16 MiB, one frame", RawWebSocketClient.BINARY, 16 * MIB, 0, ascii()),
            new Case("binary 64 MiB, one frame", RawWebSocketClient.BINARY, 64 * MIB, 0, ascii()));
    private static final String NEW_SESSION = "a new session afterwards works";

    /** Results by deployment, then by case label (every run), in the order measured. */
    private static final Map<String, Map<String, List<Outcome>>> RESULTS = new LinkedHashMap<>();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "comparison-client");
        thread.setDaemon(true);
        return thread;
    });

    @ArquillianResource
    Deployer deployer;

    /** The WAR deployed for the current test method (JUnit makes one instance per method). */
    private String deployed;

    @Deployment(name = PLAIN, managed = false, testable = false)
    static WebArchive containerAlone() {
        return BenchDeployments.containerAlone();
    }

    @Deployment(name = GUARDED, managed = false, testable = false)
    static WebArchive sizeguard() {
        return BenchDeployments.sizeguard();
    }

    /** Deploys the WAR that the test method's {@code URL} parameter names, before Arquillian resolves it. */
    @BeforeEach
    void deploy(TestInfo test) {
        deployed = deploymentOf(test);
        deployer.deploy(deployed);
    }

    /** No {@code TestInfo} here: after the test method, Arquillian's extension claims the parameter too. */
    @AfterEach
    void undeploy() {
        deployer.undeploy(deployed);
    }

    @Test
    @Order(1)
    void measuresTheContainerAlone(@ArquillianResource @OperateOnDeployment(PLAIN) URL base) throws Exception {
        measure(PLAIN, BenchDeployments.ws(base, "plain"));
    }

    @Test
    @Order(2)
    void measuresSizeguardAndAssertsEveryCaseClosesWith1009(
            @ArquillianResource @OperateOnDeployment(GUARDED) URL base) throws Exception {
        Map<String, List<Outcome>> outcomes = measure(GUARDED, BenchDeployments.ws(base, "echo"));

        SoftAssertions softly = new SoftAssertions();
        for (Case c : CASES) {
            String reason = c.opcode() == RawWebSocketClient.TEXT ? TEXT_TOO_BIG : BINARY_TOO_BIG;
            for (Outcome run : outcomes.get(c.label())) {
                softly.assertThat(run).as(c.label()).isEqualTo(Outcome.closed(1009, reason, run.bytes()));
            }
        }
        softly.assertThat(outcomes.get(NEW_SESSION)).as(NEW_SESSION).containsExactly(Outcome.works());
        softly.assertAll();
    }

    @AfterAll
    static void writeTable() throws IOException {
        THREADS.shutdownNow();
        String server = System.getProperty("arquillian.launch", "unknown");
        String table = table(server);
        Path file = Path.of("target", "comparison", server + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, table, StandardCharsets.UTF_8);
        System.out.println(table);
    }

    /** Runs every case {@link #RUNS} times, then checks that a new session works. */
    private static Map<String, List<Outcome>> measure(String deployment, URI uri) throws Exception {
        Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
        RESULTS.put(deployment, outcomes);
        for (Case c : CASES) {
            List<Outcome> runs = new ArrayList<>();
            outcomes.put(c.label(), runs);
            for (int i = 1; i <= RUNS; i++) {
                Instant start = Instant.now();
                Outcome outcome = run(uri, c);
                runs.add(outcome);
                System.out.printf("[comparison] %s %s, run %d: %s (%d ms)%n", deployment, c.label(), i, outcome,
                        Duration.between(start, Instant.now()).toMillis());
            }
        }
        Outcome newSession = newSession(uri);
        outcomes.put(NEW_SESSION, List.of(newSession));
        System.out.printf("[comparison] %s %s: %s%n", deployment, NEW_SESSION, newSession);
        return outcomes;
    }

    /**
     * Sends {@code c} on a new connection and waits up to {@link #CASE_TIMEOUT} for whichever comes first: the
     * server's close frame, the end of the connection, or the echo. Then abandons the connection.
     */
    private static Outcome run(URI uri, Case c) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri)) {
            CompletableFuture<Object> first = new CompletableFuture<>();
            client.closeFuture().whenComplete((close, dropped) -> first.complete(close != null ? close : dropped));
            Future<?> sending = THREADS.submit(() -> {
                try {
                    c.send(client);
                } catch (IOException closedByServer) {
                    // The server closed the connection before the whole message was written: the close (or its
                    // absence) is the result.
                }
            });
            Future<?> receiving = THREADS.submit(() -> {
                try {
                    Message message = client.nextMessage(CASE_TIMEOUT.plusSeconds(5));
                    if (message != null) {
                        first.complete(message);
                    }
                } catch (InterruptedException abandoned) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                Object result = first.get(CASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (result instanceof Close close) {
                    return Outcome.closed(close.code(), close.reason(), client.payloadBytesWrittenAtClose());
                }
                if (result instanceof Message message) {
                    boolean whole = message.opcode() == c.opcode() && message.payload().length == c.size();
                    return whole ? Outcome.echoed(c.size())
                            : Outcome.other("echoed " + message.payload().length + " B of opcode " + message.opcode(),
                                    client.payloadBytesWritten());
                }
                return Outcome.dropped(client.payloadBytesWrittenAtClose());
            } catch (TimeoutException silent) {
                return Outcome.noClose(client.payloadBytesWritten());
            } finally {
                receiving.cancel(true);
                sending.cancel(true);
            }
        }
    }

    /** A fresh connection after all the cases: one small text message must come back. */
    private static Outcome newSession(URI uri) {
        try (RawWebSocketClient client = RawWebSocketClient.connect(uri)) {
            client.sendText("still there?");
            Message reply = client.nextMessage(CASE_TIMEOUT);
            if (reply != null && "still there?".equals(reply.text())) {
                return Outcome.works();
            }
            return Outcome.other(reply == null ? "no reply within " + CASE_TIMEOUT.toSeconds() + " s"
                    : "wrong reply", client.payloadBytesWritten());
        } catch (IOException | InterruptedException e) {
            return Outcome.other("failed: " + e.getMessage(), 0);
        }
    }

    private static String deploymentOf(TestInfo test) {
        return test.getTestMethod().orElseThrow().getParameters()[0]
                .getAnnotation(OperateOnDeployment.class).value();
    }

    private static PayloadSource ascii() {
        return PayloadSource.repeating((byte) 'x');
    }

    private static String table(String server) {
        Map<String, List<Outcome>> alone = RESULTS.getOrDefault(PLAIN, Map.of());
        Map<String, List<Outcome>> guarded = RESULTS.getOrDefault(GUARDED, Map.of());
        StringBuilder md = new StringBuilder();
        md.append("### ").append(server).append(": the container alone versus Sizeguard\n\n");
        md.append("Measured by `ContainerComparisonBench` on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(". Container alone: `plain.war`, an ")
                .append("echo endpoint whose `@OnOpen` sets `setMaxTextMessageBufferSize(")
                .append(PlainEcho.MAX_TEXT).append(")` and `setMaxBinaryMessageBufferSize(")
                .append(PlainEcho.MAX_BINARY).append(")`. Sizeguard: `sizeguard.war` `/echo`, default policy ")
                .append("(64 KiB text, 1 MiB binary). \"Bytes written\": payload bytes the client had handed to ")
                .append("the socket when the close frame arrived (or when it gave up), an upper bound of what the ")
                .append("server read; the socket buffers of both ends can hold some MiB of it, so it varies from run ")
                .append("to run. Each case ran ").append(RUNS).append(" times, each on a new connection; a cell names ")
                .append("every outcome seen (with how many runs when they differ) and the range of bytes written. A ")
                .append("run with no answer within ").append(CASE_TIMEOUT.toSeconds()).append(" s was abandoned.\n\n");
        md.append("| case | alone: close | alone: reason | alone: bytes written "
                + "| Sizeguard: close | Sizeguard: reason | Sizeguard: bytes written |\n");
        md.append("| --- | --- | --- | ---: | --- | --- | ---: |\n");
        List<String> labels = new ArrayList<>();
        CASES.forEach(c -> labels.add(c.label()));
        labels.add(NEW_SESSION);
        for (String label : labels) {
            md.append("| ").append(label)
                    .append(" | ").append(cells(alone.get(label)))
                    .append(" | ").append(cells(guarded.get(label))).append(" |\n");
        }
        return md.toString();
    }

    /** Close, reason and bytes cells over every run of one case. */
    private static String cells(List<Outcome> runs) {
        if (runs == null || runs.isEmpty()) {
            return "not measured | | ";
        }
        Map<String, Integer> closes = new LinkedHashMap<>();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        runs.forEach(run -> {
            closes.merge(run.closeCell(), 1, Integer::sum);
            if (run.kind() == Kind.CLOSED) {
                reasons.merge("\"" + run.reason().replace("|", "\\|") + "\"", 1, Integer::sum);
            }
        });
        long min = runs.stream().mapToLong(Outcome::bytes).min().orElseThrow();
        long max = runs.stream().mapToLong(Outcome::bytes).max().orElseThrow();
        String bytes = min < 0 ? "—" : min == max ? Outcome.number(min)
                : Outcome.number(min) + " – " + Outcome.number(max);
        return counted(closes, runs.size()) + " | " + (reasons.isEmpty() ? "—" : counted(reasons, runs.size()))
                + " | " + bytes;
    }

    /** The only value, or each value with the number of runs that gave it. */
    private static String counted(Map<String, Integer> values, int runs) {
        if (values.size() == 1 && values.values().iterator().next() == runs) {
            return values.keySet().iterator().next();
        }
        List<String> parts = new ArrayList<>();
        values.forEach((value, count) -> parts.add(value + " (" + count + " of " + runs + ")"));
        return String.join("; ", parts);
    }

    private record Case(String label, int opcode, long size, long frameSize, PayloadSource source) {

        /** One frame when {@code frameSize} is 0, else frames of {@code frameSize} bytes (the last one shorter). */
        void send(RawWebSocketClient client) throws IOException {
            long frame = frameSize == 0 ? size : frameSize;
            for (long sent = 0; sent < size; sent += frame) {
                long length = Math.min(frame, size - sent);
                client.sendFrame(sent + length >= size, sent == 0 ? opcode : RawWebSocketClient.CONTINUATION,
                        length, source);
            }
        }
    }

    enum Kind { CLOSED, ECHOED, NO_CLOSE, DROPPED, WORKS, OTHER }

    /** What the client saw; {@code bytes} is {@code -1} where it does not apply. */
    record Outcome(Kind kind, int code, String reason, long bytes, String note) {

        static Outcome closed(int code, String reason, long bytes) {
            return new Outcome(Kind.CLOSED, code, reason, bytes, "");
        }

        static Outcome echoed(long bytes) {
            return new Outcome(Kind.ECHOED, 0, "", bytes, "");
        }

        static Outcome noClose(long bytes) {
            return new Outcome(Kind.NO_CLOSE, 0, "", bytes, "");
        }

        static Outcome dropped(long bytes) {
            return new Outcome(Kind.DROPPED, 1006, "", bytes, "");
        }

        static Outcome works() {
            return new Outcome(Kind.WORKS, 0, "", -1, "");
        }

        static Outcome other(String note, long bytes) {
            return new Outcome(Kind.OTHER, 0, "", bytes, note);
        }

        /** What the close column says: the code, or what happened instead of a close frame. */
        String closeCell() {
            return switch (kind) {
                case CLOSED -> String.valueOf(code);
                case ECHOED -> "echoed";
                case NO_CLOSE -> "no close within " + CASE_TIMEOUT.toSeconds() + " s";
                case DROPPED -> "1006 (connection dropped)";
                case WORKS -> "works";
                case OTHER -> note.replace("|", "\\|");
            };
        }

        static String number(long bytes) {
            return String.format(java.util.Locale.ROOT, "%,d", bytes);
        }

        @Override
        public String toString() {
            return closeCell() + (kind == Kind.CLOSED ? " \"" + reason + "\"" : "")
                    + (bytes < 0 ? "" : ", " + number(bytes) + " B written");
        }
    }
}
