package org.sizeguard.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.sizeguard.testclient.JdkClient;
import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * The {@code load} part of the benchmark: the attacks that took the server down before it had budgets, at full size,
 * against a server of its own with {@code -Xmx512m}, once with Sizeguard's budgets as configured by default and once
 * with every budget set out of reach ("unlimited"), so that the report shows the difference. For each scenario it
 * reports the close codes the attacking sessions got, a control client's echo round trip (p50, p99) and the slowest
 * {@code GET /sizeguard/limits} while the attack is on, and afterwards {@code /stats}, heap, live threads and open file
 * descriptors against the baseline, and whether the server is still alive.
 * <p>
 * Then a soak of mixed traffic ({@code -Dbench.soak=10m} by default; echo, uploads, rejections, resets mid-message,
 * stalled streams, non-reading clients) after which the same figures are compared with the baseline.
 * <p>
 * Writes {@code target/bench/load-<server>.md}. Counts can be lowered for a quick look:
 * {@code -Dbench.load.scale=0.25}. It fails only when the budgeted server dies or does not return to its baseline.
 */
class LoadBench {

    private static final String SERVER = System.getProperty("sizeguard.bench.server", "server");
    private static final double SCALE = Double.parseDouble(System.getProperty("bench.load.scale", "1"));
    private static final Duration SOAK = Duration.parse("PT" + System.getProperty("bench.soak", "10m").toUpperCase());
    /** Runs only the attacks whose name contains this ({@code -Dbench.load.only=binary}); all by default. */
    private static final String ONLY = System.getProperty("bench.load.only", "");
    private static final String HEAP = "-Xmx512m";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final StringBuilder report = new StringBuilder();
    private final List<String> failures = new ArrayList<>();

    private static int scaled(int count) {
        return Math.max(1, (int) Math.round(count * SCALE));
    }

    /** A running server of the benchmark's own. */
    interface Server extends AutoCloseable {
        URL base() throws IOException;

        ProcessHandle process();

        boolean alive();

        @Override
        void close() throws InterruptedException;
    }

    private static Server start(WebArchive war, String name) throws Exception {
        if ("payara".equals(SERVER)) {
            OwnPayaraMicro micro = OwnPayaraMicro.start(List.of(war), HEAP, name);
            return new Server() {
                public URL base() throws IOException {
                    return micro.base("sizeguard");
                }

                public ProcessHandle process() {
                    return micro.process();
                }

                public boolean alive() {
                    return micro.alive();
                }

                public void close() throws InterruptedException {
                    micro.close();
                }
            };
        }
        OwnWildFly wildfly = OwnWildFly.start(List.of(war), HEAP, name);
        return new Server() {
            public URL base() throws IOException {
                return wildfly.base("sizeguard");
            }

            public ProcessHandle process() {
                return wildfly.process();
            }

            public boolean alive() {
                return wildfly.alive();
            }

            public void close() throws InterruptedException {
                wildfly.close();
            }
        };
    }

    /** Sizeguard's WAR with budgets out of reach: what the attacks do without them. */
    private static WebArchive unlimited() {
        return BenchDeployments.sizeguard().setWebXML(new StringAsset("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                    <context-param><param-name>sizeguard.max-buffered-bytes</param-name><param-value>1024GiB</param-value></context-param>
                    <context-param><param-name>sizeguard.max-concurrent-streams</param-name><param-value>100000</param-value></context-param>
                    <context-param><param-name>sizeguard.max-outbound-buffered-bytes</param-name><param-value>1024GiB</param-value></context-param>
                    <context-param><param-name>sizeguard.send-timeout</param-name><param-value>0</param-value></context-param>
                </web-app>
                """));
    }

    @Test
    void attacksAtFullSizeWithAndWithoutBudgets() throws Exception {
        report.append("# Load: attacks at full size, ").append(SERVER).append(", ").append(HEAP).append("\n\n")
                .append("Scale ").append(SCALE).append(". Control: echo round trips of a 100-byte text on a separate ")
                .append("connection and `GET /sizeguard/limits`, measured while the attack holds its connections.\n\n");
        for (boolean budgets : new boolean[] {true, false}) {
            String variant = budgets ? "budgets as configured by default" : "budgets unlimited";
            report.append("## ").append(variant).append("\n\n")
                    .append("| scenario | attackers' close codes | control echo p50 / p99 | slowest /limits | after: ")
                    .append("/stats | heap used (baseline → after) | threads | fds | server |\n")
                    .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            try (Server server = start(budgets ? BenchDeployments.sizeguard() : unlimited(),
                    budgets ? "load-budgeted-" + SERVER : "load-unlimited-" + SERVER)) {
                URL base = server.base();
                Baseline baseline = Baseline.of(server, base);
                for (Scenario scenario : scenarios()) {
                    if (!scenario.name().contains(ONLY)) {
                        continue;
                    }
                    if (!server.alive()) {
                        report.append("| ").append(scenario.name()).append(" | not run: the server is dead | | | | | | | |\n");
                        continue;
                    }
                    Row row = run(scenario, server, base, baseline);
                    report.append(row.markdown()).append('\n');
                    if (budgets && !row.recovered()) {
                        failures.add(variant + ": " + scenario.name() + " did not return to the baseline: " + row.after());
                    }
                }
            }
            report.append('\n');
        }
        write();
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
    }

    /**
     * Mixed traffic for {@link #SOAK} on the budgeted server, eight clients at a time, each picking the next action in
     * turn: echoes, 8 MiB uploads checked by their receipt, over-limit messages (1009 expected), resets mid-message,
     * stalled streams left after a second, clients that send without reading and leave. Afterwards {@code /stats},
     * heap, threads and file descriptors must be back at the baseline.
     */
    @Test
    void soaksMixedTrafficAndReturnsToTheBaseline() throws Exception {
        try (Server server = start(BenchDeployments.sizeguard(), "load-soak-" + SERVER)) {
            URL base = server.base();
            Baseline baseline = Baseline.of(server, base);
            Map<String, AtomicInteger> outcomes = new java.util.concurrent.ConcurrentSkipListMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            long end = System.nanoTime() + SOAK.toNanos();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int first = w;
                workers.add(clients.submit(() -> {
                    for (int turn = first; System.nanoTime() < end; turn++) {
                        String outcome;
                        try {
                            outcome = SoakAction.values()[turn % SoakAction.values().length].run(base);
                        } catch (Exception e) {
                            outcome = "failed: " + e.getClass().getSimpleName();
                        }
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(SOAK.toSeconds() + 300, TimeUnit.SECONDS);
            }
            clients.shutdownNow();
            Row row = run(new Scenario("soak of " + SOAK.toMinutes() + " min: " + outcomes, b -> Map.of()), server,
                    base, baseline);
            report.append("# Soak: ").append(SERVER).append(", ").append(HEAP).append(", budgets as configured by ")
                    .append("default\n\n| traffic and outcomes | | | | after: /stats | heap used (baseline → after) | ")
                    .append("threads | fds | server |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
                    .append(row.markdown()).append("\n\n");
            Path file = Path.of("target", "bench", "soak-" + SERVER + ".md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report.toString());
            System.out.println(report);
            long unexpected = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("unexpected"))
                    .mapToLong(e -> e.getValue().get()).sum();
            if (!row.recovered() || unexpected > 0) {
                throw new AssertionError("the soak did not end at the baseline, or had unexpected outcomes: "
                        + row.markdown());
            }
        }
    }

    /** One kind of soak traffic; returns a short outcome ("unexpected …" when the server did not do what it says). */
    enum SoakAction {
        ECHO {
            String run(URL base) throws Exception {
                try (RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "echo"), true)) {
                    for (int i = 0; i < 20; i++) {
                        String text = "soak " + i + " " + "e".repeat(1000);
                        client.sendText(text);
                        RawWebSocketClient.Message echo = client.nextMessage(Duration.ofSeconds(30));
                        if (echo == null || !echo.text().equals(text)) {
                            return "unexpected: echo lost or changed";
                        }
                    }
                    return "echo ×20 ok";
                }
            }
        },
        UPLOAD {
            String run(URL base) throws Exception {
                long length = 8L << 20;
                PayloadSource pattern = PayloadSource.pattern();
                try (RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "upload"))) {
                    client.sendFrame(true, RawWebSocketClient.BINARY, length, pattern);
                    RawWebSocketClient.Message receipt = client.nextMessage(Duration.ofSeconds(60));
                    return receipt != null && receipt.text().contains(pattern.sha256(length)) ? "upload 8 MiB ok"
                            : "unexpected: upload receipt " + (receipt == null ? "missing" : "wrong");
                }
            }
        },
        TOO_BIG {
            String run(URL base) throws Exception {
                try (RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "echo"))) {
                    try {
                        client.sendText("x".repeat(70_000));
                    } catch (IOException refused) {
                        // The close follows.
                    }
                    int code = client.awaitClose(Duration.ofSeconds(30)).code();
                    return code == 1009 ? "too big: 1009" : "unexpected: too big answered " + code;
                }
            }
        },
        RESET_MID_MESSAGE {
            String run(URL base) throws Exception {
                RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "echo"));
                client.sendFrame(false, RawWebSocketClient.BINARY, 500_000, PayloadSource.repeating((byte) 'r'));
                client.close();
                return "reset mid-message";
            }
        },
        STALLED_STREAM {
            String run(URL base) throws Exception {
                try (RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "json"))) {
                    client.sendFrame(false, RawWebSocketClient.TEXT, 5, PayloadSource.of("{\"a\":".getBytes(
                            StandardCharsets.UTF_8)));
                    return client.closeFuture().isDone() ? "stream refused " + client.closeFuture().join().code()
                            : waitAndLeave(client);
                }
            }

            private String waitAndLeave(RawWebSocketClient client) throws InterruptedException {
                Thread.sleep(1000);
                return "stalled stream left after 1 s";
            }
        },
        NOT_READING {
            String run(URL base) throws Exception {
                try (RawWebSocketClient client = RawWebSocketClient.connectWithoutReading(
                        BenchDeployments.ws(base, "echo"))) {
                    String text = "n".repeat(60_000);
                    try {
                        for (int i = 0; i < 20; i++) {
                            client.sendText(text);
                        }
                    } catch (IOException closed) {
                        return "non-reader closed by the server";
                    }
                    return "non-reader left";
                }
            }
        };

        abstract String run(URL base) throws Exception;
    }

    /** One attack: opens its connections and does its damage; returns the close codes its sessions got. */
    interface Attack {
        Map<String, Integer> run(URL base) throws Exception;
    }

    record Scenario(String name, Attack attack) {
    }

    /** In this order because without budgets the last two may kill the server, and nothing runs after that. */
    private List<Scenario> scenarios() {
        return List.of(
                new Scenario(scaled(1000) + " connections each holding 63 KiB of text", base -> hold(base, scaled(1000),
                        c -> c.sendFrame(false, RawWebSocketClient.TEXT, 63 * 1024, PayloadSource.repeating((byte) 't')))),
                new Scenario(scaled(230) + " × (unmasked ping, then 4 MB of one 8 MiB text frame)",
                        base -> hold(base, scaled(230), c -> {
                            c.sendRaw(new byte[] {(byte) 0x89, 0x00});
                            c.trickle(true, RawWebSocketClient.TEXT, 8L << 20, 4L << 20,
                                    PayloadSource.repeating((byte) 'u'), 64 * 1024, Duration.ofMillis(1));
                        })),
                new Scenario(scaled(205) + " stalled JSON streams, then " + scaled(200) + " clients × 6 JSON messages",
                        base -> streams(base, scaled(205), scaled(200))),
                new Scenario(scaled(400) + " connections each holding a binary message of 1 MiB − 1 KiB",
                        base -> hold(base, scaled(400), c -> c.sendFrame(false, RawWebSocketClient.BINARY,
                                1024 * 1024 - 1024, PayloadSource.repeating((byte) 'b')))),
                new Scenario(scaled(40) + " clients sending 64 KiB echoes without reading",
                        base -> deaf(base, scaled(40))));
    }

    /** What a scenario's client does after connecting. */
    interface Script {
        void run(RawWebSocketClient client) throws IOException;
    }

    /** {@code count} connections to /echo, each running {@code script} and then holding on while the control runs. */
    private static Map<String, Integer> hold(URL base, int count, Script script) throws Exception {
        List<RawWebSocketClient> clients = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                opened.add(pool.submit(() -> {
                    RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "echo"));
                    clients.add(client);
                    try {
                        script.run(client);
                    } catch (IOException closedByServer) {
                        // Refused while writing: its close code is collected below.
                    }
                    return null;
                }));
            }
            for (Future<?> open : opened) {
                try {
                    open.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException refusedAtHandshake) {
                    // Counted as a connection that never opened.
                }
            }
            Control.measure(base);
            return closeCodes(clients, count);
        } finally {
            pool.shutdownNow();
            for (RawWebSocketClient client : clients) {
                client.close();
            }
        }
    }

    private static Map<String, Integer> deaf(URL base, int count) throws Exception {
        List<RawWebSocketClient> clients = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(count);
        Map<Integer, Long> before = rejections(base);
        try {
            String text = "d".repeat(64 * 1024 - 16);
            for (int i = 0; i < count; i++) {
                RawWebSocketClient client = RawWebSocketClient.connectWithoutReading(BenchDeployments.ws(base, "echo"));
                clients.add(client);
                writers.submit(() -> {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                    try {
                        while (System.nanoTime() < end) {
                            client.sendText(text);
                        }
                    } catch (IOException closedByServer) {
                        // What the attack waits for.
                    }
                    return null;
                });
            }
            Thread.sleep(2000);
            Control.measure(base);
            writers.shutdown();
            writers.awaitTermination(60, TimeUnit.SECONDS);
            Map<String, Integer> codes = new TreeMap<>();
            rejections(base).forEach((code, n) -> {
                long added = n - before.getOrDefault(code, 0L);
                if (added > 0) {
                    codes.put(String.valueOf(code), (int) added);
                }
            });
            codes.merge("not closed (the client cannot read a close frame; from /stats)", Math.max(0,
                    count - codes.values().stream().mapToInt(Integer::intValue).sum()), Integer::sum);
            return codes;
        } finally {
            writers.shutdownNow();
            for (RawWebSocketClient client : clients) {
                client.close();
            }
        }
    }

    private static Map<String, Integer> streams(URL base, int stalled, int workers) throws Exception {
        List<RawWebSocketClient> stallers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(32);
        Map<String, Integer> codes = new TreeMap<>();
        AtomicInteger echoed = new AtomicInteger();
        try {
            for (int i = 0; i < stalled; i++) {
                RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "json"));
                stallers.add(client);
                try {
                    client.sendFrame(false, RawWebSocketClient.TEXT, 5, PayloadSource.of("{\"a\":".getBytes(StandardCharsets.UTF_8)));
                } catch (IOException refused) {
                    // Collected below.
                }
            }
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                results.add(pool.submit(() -> {
                    try (RawWebSocketClient client = RawWebSocketClient.connect(BenchDeployments.ws(base, "json"))) {
                        for (int m = 0; m < 6; m++) {
                            client.sendText("{\"n\":" + m + "}");
                            RawWebSocketClient.Message echo = client.nextMessage(Duration.ofSeconds(20));
                            if (echo == null) {
                                return client.closeFuture().isDone() ? "worker closed "
                                        + client.closeFuture().join().code() : "worker got no echo in 20 s";
                            }
                            echoed.incrementAndGet();
                        }
                        return "worker: all 6 echoed";
                    }
                }));
            }
            Control.measure(base);
            for (Future<String> result : results) {
                codes.merge(result.get(120, TimeUnit.SECONDS), 1, Integer::sum);
            }
            closeCodes(stallers, stalled).forEach((code, n) -> codes.merge("staller " + code, n, Integer::sum));
            codes.put("JSON messages echoed", echoed.get());
            return codes;
        } finally {
            pool.shutdownNow();
            for (RawWebSocketClient client : stallers) {
                client.close();
            }
        }
    }

    /** The close code each client got within a few seconds, or "open" / "dropped". */
    private static Map<String, Integer> closeCodes(List<RawWebSocketClient> clients, int attempted) {
        Map<String, Integer> codes = new TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (RawWebSocketClient client : clients) {
            String outcome;
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                outcome = String.valueOf(client.closeFuture().get(left, TimeUnit.NANOSECONDS).code());
            } catch (java.util.concurrent.TimeoutException stillOpen) {
                outcome = "held open";
            } catch (java.util.concurrent.ExecutionException dropped) {
                outcome = "1006 (dropped)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = "interrupted";
            }
            codes.merge(outcome, 1, Integer::sum);
        }
        if (clients.size() < attempted) {
            codes.put("handshake failed", attempted - clients.size());
        }
        return codes;
    }

    /** The control client's figures of the scenario in progress (one scenario at a time). */
    static final class Control {
        static volatile List<Long> echoNanos = List.of();
        static volatile long slowestLimitsNanos = -1;
        static volatile String problem = "";

        static void measure(URL base) {
            List<Long> rounds = new ArrayList<>();
            long slowest = -1;
            String trouble = "";
            try (JdkClient control = JdkClient.connect(BenchDeployments.ws(base, "echo"))) {
                for (int i = 0; i < 50; i++) {
                    long start = System.nanoTime();
                    control.sendText("c".repeat(100));
                    if (control.nextMessage(Duration.ofSeconds(10)) == null) {
                        trouble = "control echo: no answer within 10 s";
                        break;
                    }
                    rounds.add(System.nanoTime() - start);
                }
            } catch (Exception e) {
                trouble = "control echo failed: " + e;
            }
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                try {
                    get(base, "limits", Duration.ofSeconds(10));
                } catch (Exception e) {
                    trouble += " /limits failed: " + e.getClass().getSimpleName();
                    slowest = Long.MAX_VALUE;
                    break;
                }
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            echoNanos = rounds;
            slowestLimitsNanos = slowest;
            problem = trouble;
        }
    }

    record Baseline(long heap, int threads, long fds) {
        static Baseline of(Server server, URL base) throws Exception {
            Heap heap = Heap.of(base);
            return new Baseline(heap.used(), heap.threads(), LoadBench.fds(server));
        }
    }

    record Heap(long used, int threads) {
        private static final Pattern USED = Pattern.compile("used=(\\d+)");
        private static final Pattern THREADS = Pattern.compile("threads=(\\d+)");

        static Heap of(URL base) throws Exception {
            String line = get(base, "bench/heap", Duration.ofSeconds(30));
            Matcher used = USED.matcher(line);
            Matcher threads = THREADS.matcher(line);
            if (!used.find() || !threads.find()) {
                throw new IOException("unexpected /bench/heap answer: " + line);
            }
            return new Heap(Long.parseLong(used.group(1)), Integer.parseInt(threads.group(1)));
        }
    }

    record Row(String name, Map<String, Integer> codes, List<Long> echo, long slowestLimits, String problem,
            String after, boolean statsZero, Baseline baseline, Heap heap, long fds, boolean alive) {
        /**
         * What Sizeguard holds is back at zero, the server lives, and it has no more open files than before (give or
         * take 20). Heap and threads are reported, not judged: the containers' own pools grow under load and keep
         * idle threads, and their per-thread buffers, for their idle timeouts (Payara's HTTP pool: up to 200).
         */
        boolean recovered() {
            return alive && statsZero && heap != null && fds <= baseline.fds() + 20;
        }

        String markdown() {
            List<Long> sorted = new ArrayList<>(echo);
            Collections.sort(sorted);
            String echoes = sorted.isEmpty() ? "none" : ms(sorted.get(sorted.size() / 2)) + " / "
                    + ms(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)));
            return "| " + name + " | " + codes + " | " + echoes + (problem.isBlank() ? "" : " (" + problem.trim() + ")")
                    + " | " + (slowestLimits == Long.MAX_VALUE ? "failed" : ms(slowestLimits)) + " | "
                    + (statsZero ? "all zero" : after) + " | " + BenchReport.mib(baseline.heap()) + " → "
                    + (heap == null ? "?" : BenchReport.mib(heap.used())) + " | " + baseline.threads() + " → "
                    + (heap == null ? "?" : heap.threads()) + " | " + baseline.fds() + " → " + fds + " | "
                    + (alive ? "alive" : "**dead**") + " |";
        }

        private static String ms(long nanos) {
            return String.format("%.1f ms", nanos / 1e6);
        }
    }

    private Row run(Scenario scenario, Server server, URL base, Baseline baseline) {
        System.out.println("[load] " + SERVER + ": " + scenario.name());
        Map<String, Integer> codes;
        try {
            codes = scenario.attack().run(base);
        } catch (Exception e) {
            codes = Map.of("attack failed: " + e, 1);
        }
        List<Long> echo = Control.echoNanos;
        for (int i = 0; i < echo.size(); i++) {
            if (echo.get(i) > TimeUnit.MILLISECONDS.toNanos(200)) {
                System.out.printf("[load] control echo %d of %d took %.1f ms%n", i + 1, echo.size(), echo.get(i) / 1e6);
            }
        }
        long limits = Control.slowestLimitsNanos;
        String problem = Control.problem;
        String after = "?";
        boolean zero = false;
        long deadline = System.nanoTime() + WAIT.toNanos();
        // Closes finish after the clients have gone (lingering closes, the containers' own timeouts): poll until
        // Sizeguard holds nothing and the descriptors are back, or the wait is over.
        while (server.alive() && System.nanoTime() < deadline) {
            try {
                after = stats(base);
                zero = statsZero(after);
                if (zero && fds(server) <= baseline.fds() + 20) {
                    break;
                }
            } catch (Exception e) {
                after = "unreachable: " + e.getClass().getSimpleName();
            }
            sleepQuietly(500);
        }
        Heap heap = null;
        try {
            heap = server.alive() ? Heap.of(base) : null;
        } catch (Exception e) {
            after += " (heap unreachable)";
        }
        Row row = new Row(scenario.name(), codes, echo, limits, problem, after, zero, baseline, heap, fds(server),
                server.alive());
        System.out.println("[load] " + row.markdown());
        return row;
    }

    private static boolean statsZero(String stats) {
        JsonObject json = Json.createReader(new StringReader(stats)).readObject();
        return json.getJsonNumber("openSessions").longValue() == 0 && json.getJsonNumber("messagesInProgress").longValue() == 0
                && json.getJsonNumber("bufferedBytes").longValue() == 0 && json.getJsonNumber("activeStreams").longValue() == 0
                && json.getJsonNumber("queuedSends").longValue() == 0;
    }

    private static Map<Integer, Long> rejections(URL base) throws Exception {
        JsonObject json = Json.createReader(new StringReader(stats(base))).readObject().getJsonObject("rejections");
        Map<Integer, Long> counts = new TreeMap<>();
        json.forEach((code, n) -> counts.put(Integer.parseInt(code), ((jakarta.json.JsonNumber) n).longValue()));
        return counts;
    }

    private static String stats(URL base) throws Exception {
        return get(base, "stats", Duration.ofSeconds(10));
    }

    private static String get(URL base, String path, Duration timeout) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(BenchDeployments.http(base, path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long fds(Server server) {
        Path fd = Path.of("/proc", String.valueOf(server.process().pid()), "fd");
        try (var entries = Files.list(fd)) {
            return entries.count();
        } catch (IOException gone) {
            return -1;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write() throws IOException {
        Path file = Path.of("target", "bench", "load-" + SERVER + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString());
        System.out.println(report);
    }
}
