package org.sizeguard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.bench.BulkTransfer.Run;
import org.sizeguard.bench.ReadBeforeClose.Attempt;

/**
 * The benchmark of {@code mvn verify -Pbench}, run once per server by the failsafe executions {@code payara-bench}
 * and {@code wildfly-bench}; it prints its results and writes them to {@code target/bench/<server>.md}.
 * <ol>
 * <li>(a) on Node {@code ws}, without a deployment ({@code @BeforeAll}).</li>
 * <li>Sizeguard alone deployed ({@code sizeguard.war}): the heap during a 1 GiB upload, then (a).</li>
 * <li>Both WARs in one server JVM at once: (b) and (c), the two sides alternating round by round, so that load from
 * elsewhere (a shared 2-core machine) hits both alike. On WildFly as two Arquillian deployments; on Payara Micro,
 * whose Arquillian adapter holds one deployment at a time, in a Payara Micro process the benchmark starts itself
 * with both WARs ({@link OwnPayaraMicro}).</li>
 * <li>The container alone deployed ({@code plain.war}): the heap during a 1 GiB raw echo, then (a), last because the
 * container alone may buffer hundreds of MiB of a frame it never refuses.</li>
 * </ol>
 * It fails only when a transfer went wrong (a receipt's sha256 or the echoed byte count) or the anchor could not
 * run; goals are reported, not asserted.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SizeguardBench {

    static final List<Long> DECLARED = List.of(1L << 20, 64L << 20, 2L << 30);
    static final int ECHO_WARM_UP = Integer.getInteger("bench.echo.warmUp", 5);
    static final int ECHO_ROUNDS = Integer.getInteger("bench.echo.rounds", 16);
    static final int BULK_RUNS = Integer.getInteger("bench.bulk.runs", 3);
    /** Attempts per case of (a) that end with a close; one that reads on (echo, cap) is not repeated. */
    static final int READ_RUNS = Integer.getInteger("bench.read.runs", 3);

    private static final String PLAIN = "plain";
    private static final String GUARDED = "guarded";
    private static final String SERVER = System.getProperty("sizeguard.bench.server",
            System.getProperty("arquillian.launch", "server"));
    /**
     * How both WARs get into one server at once: {@code arquillian} (two deployments, WildFly) or
     * {@code own-payara-micro} (a Payara Micro process started by the benchmark).
     */
    static final String BOTH = System.getProperty("sizeguard.bench.both", "arquillian");
    private static final BenchReport REPORT = new BenchReport(SERVER);

    @ArquillianResource
    Deployer deployer;

    private List<String> deployed = new ArrayList<>();

    @Deployment(name = PLAIN, managed = false, testable = false)
    static WebArchive containerAlone() {
        return BenchDeployments.containerAlone();
    }

    @Deployment(name = GUARDED, managed = false, testable = false)
    static WebArchive sizeguard() {
        return BenchDeployments.sizeguard();
    }

    @BeforeAll
    static void nodeWsAnchor() throws Exception {
        Map<Long, List<Attempt>> reads = REPORT.reads.get(BenchReport.WS);
        String unavailable = WsAnchor.unavailable();
        if (unavailable != null) {
            DECLARED.forEach(d -> reads.put(d, List.of(Attempt.notMeasured(unavailable))));
            REPORT.problems.add("Node ws anchor not measured: " + unavailable);
            return;
        }
        try (WsAnchor anchor = WsAnchor.start()) {
            REPORT.wsVersion = anchor.version();
            readsBeforeClose(BenchReport.WS, anchor.uri());
        }
    }

    /**
     * Deploys the WARs that the test method's {@code URL} parameters name. Two at once only where the adapter can
     * hold both ({@link #BOTH} {@code arquillian}).
     */
    @BeforeEach
    void deploy(TestInfo test) {
        deployed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Parameter parameter : test.getTestMethod().orElseThrow().getParameters()) {
            names.add(parameter.getAnnotation(OperateOnDeployment.class).value());
        }
        Assumptions.assumeTrue(names.size() <= 1 || "arquillian".equals(BOTH),
                "this server's adapter holds one deployment at a time: both WARs run in a Payara Micro of our own");
        for (String name : names) {
            deployer.deploy(name);
            deployed.add(name);
        }
    }

    /** No {@code TestInfo} here: after the test method, Arquillian's extension claims the parameter too. */
    @AfterEach
    void undeploy() {
        for (int i = deployed.size() - 1; i >= 0; i--) {
            deployer.undeploy(deployed.get(i));
        }
    }

    @Test
    @Order(1)
    void sizeguard(@ArquillianResource @OperateOnDeployment(GUARDED) URL base) throws Exception {
        URI upload = BenchDeployments.ws(base, "upload");
        long total = BulkTransfer.total();
        String sha256 = expectedSha256();
        REPORT.heapUpload = heapDuring(base, () -> BulkTransfer.upload(upload, total, total, sha256));
        readsBeforeClose(BenchReport.GUARDED, BenchDeployments.ws(base, "echo"));
    }

    @Test
    @Order(2)
    void bothDeployedAtOnce(@ArquillianResource @OperateOnDeployment(PLAIN) URL plain,
            @ArquillianResource @OperateOnDeployment(GUARDED) URL guarded) throws Exception {
        alternating(plain, guarded);
    }

    @Test
    @Order(3)
    void bothInAPayaraMicroOfOurOwn() throws Exception {
        Assumptions.assumeTrue("own-payara-micro".equals(BOTH), "both WARs are deployed through Arquillian here");
        try (OwnPayaraMicro micro = OwnPayaraMicro.start(List.of(BenchDeployments.containerAlone(),
                BenchDeployments.sizeguard()))) {
            alternating(micro.base("plain"), micro.base("sizeguard"));
        }
    }

    @Test
    @Order(4)
    void containerAlone(@ArquillianResource @OperateOnDeployment(PLAIN) URL base) throws Exception {
        URI raw = BenchDeployments.ws(base, "raw");
        REPORT.heapRawEcho = heapDuring(base, () -> BulkTransfer.rawEcho(raw, BulkTransfer.total(), BulkTransfer.MIB));
        readsBeforeClose(BenchReport.ALONE, BenchDeployments.ws(base, "plain"));
    }

    /** (b) and (c) with both WARs in one server, the sides alternating. */
    private static void alternating(URL plain, URL guarded) throws Exception {
        try (EchoThroughput alone = EchoThroughput.open(BenchDeployments.ws(plain, "plain"));
                EchoThroughput withGuard = EchoThroughput.open(BenchDeployments.ws(guarded, "echo"));
                EchoThroughput partial = EchoThroughput.open(BenchDeployments.ws(plain, "partial"))) {
            EchoThroughput.alternate(List.of(alone, withGuard, partial),
                    List.of(REPORT.echoAlone, REPORT.echoGuarded, REPORT.echoPartial), ECHO_WARM_UP, ECHO_ROUNDS);
        }
        URI raw = BenchDeployments.ws(plain, "raw");
        URI upload = BenchDeployments.ws(guarded, "upload");
        String sha256 = expectedSha256();
        for (int i = 1; i <= BULK_RUNS; i++) {
            if (i % 2 == 1) {
                rawEchoRuns(raw, 1);
                uploadOneFrame(upload, sha256, i);
                uploadFrames(upload, sha256, i);
            } else {
                uploadFrames(upload, sha256, i);
                uploadOneFrame(upload, sha256, i);
                rawEchoRuns(raw, 1);
            }
        }
    }

    /** The upload's expected sha256, timed: how fast this machine hashes, for reading (c). */
    private static String expectedSha256() throws Exception {
        long start = System.nanoTime();
        String sha256 = BulkTransfer.expectedSha256(BulkTransfer.total());
        REPORT.sha256MiBPerSecond = BulkTransfer.total() / (double) BulkTransfer.MIB / ((System.nanoTime() - start) / 1e9);
        return sha256;
    }

    private static void rawEchoRuns(URI raw, int runs) throws Exception {
        for (int i = 0; i < runs; i++) {
            REPORT.rawEcho.add(log("raw echo run " + (REPORT.rawEcho.size() + 1),
                    BulkTransfer.rawEcho(raw, BulkTransfer.total(), BulkTransfer.MIB)));
        }
    }

    private static void uploadOneFrame(URI upload, String sha256, int run) throws Exception {
        long total = BulkTransfer.total();
        REPORT.uploadOneFrame.add(log("upload one frame run " + run, BulkTransfer.upload(upload, total, total, sha256)));
    }

    private static void uploadFrames(URI upload, String sha256, int run) throws Exception {
        REPORT.uploadFrames.add(log("upload 1 MiB frames run " + run,
                BulkTransfer.upload(upload, BulkTransfer.total(), BulkTransfer.MIB, sha256)));
    }

    @AfterAll
    static void writeReport() throws IOException {
        String markdown = REPORT.markdown();
        Path file = Path.of("target", "bench", SERVER + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        System.out.println(REPORT.summary());
        System.out.println("[bench] written to " + file.toAbsolutePath());
        if (!REPORT.problems.isEmpty()) {
            throw new AssertionError("benchmark problems: " + REPORT.problems);
        }
    }

    private static void readsBeforeClose(String subject, URI uri) throws Exception {
        for (long declared : DECLARED) {
            List<Attempt> runs = new java.util.ArrayList<>();
            REPORT.reads.get(subject).put(declared, runs);
            for (int i = 1; i <= READ_RUNS; i++) {
                Attempt attempt = ReadBeforeClose.attempt(uri, declared);
                runs.add(attempt);
                System.out.printf("[bench] %s %s, frame declaring %s, run %d: %s%n", SERVER, subject,
                        BenchReport.size(declared), i, attempt);
                if (attempt.readOn()) {
                    break;
                }
            }
        }
    }

    private static Run log(String what, Run run) {
        System.out.printf(java.util.Locale.ROOT, "[bench] %s %s: %.1f s, %.0f MiB/s, %s%n", SERVER, what, run.seconds(),
                run.mibPerSecond(), run.check());
        if (!run.ok()) {
            REPORT.problems.add(what + ": " + run.check());
        }
        return run;
    }

    /** One transfer with the heap sampled before and during it. */
    private static BenchReport.Heap heapDuring(URL base, Transfer transfer) throws Exception {
        try (HeapSampler sampler = new HeapSampler(BenchDeployments.http(base, "bench/heap"))) {
            sampler.sample();
            long baseline = sampler.sample();
            sampler.start();
            Run run = log("heap-sampled run", transfer.run());
            sampler.close();
            if (sampler.failure() != null) {
                REPORT.problems.add("heap sampling failed: " + sampler.failure());
            }
            BenchReport.Heap heap = new BenchReport.Heap(baseline, Math.max(baseline, sampler.max()), sampler.samples(),
                    run, sampler.lastLine());
            System.out.printf("[bench] %s heap: baseline %s, max %s, growth %s, %d samples (%s)%n", SERVER,
                    BenchReport.mib(baseline), BenchReport.mib(heap.max()), BenchReport.mib(heap.growth()),
                    heap.samples(), heap.servlet());
            return heap;
        }
    }

    @FunctionalInterface
    private interface Transfer {
        Run run() throws Exception;
    }
}
