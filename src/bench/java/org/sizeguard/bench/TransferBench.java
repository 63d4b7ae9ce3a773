package org.sizeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sizeguard.bench.BulkTransfer.Run;
import org.sizeguard.testclient.PayloadStream;
import org.sizeguard.transfer.TransferClient;
import org.sizeguard.transfer.TransferReceipt;

/**
 * Chunked transfers on each server, in a server of the benchmark's own ({@code -Xmx1g}) with both WARs: the
 * throughput of a {@link TransferClient} transfer to {@code /sizeguard/transfer} (256 KiB chunks, window 4, spilled to
 * disk, SHA-256 checked) against the container alone echoing the same bytes as 256 KiB binary messages
 * ({@code /plain/raw}), alternated, after a warm-up of each; then the server's heap in use (after full collections,
 * every 100 ms) during one more transfer, measured apart because the collections slow it. The goals: a ratio of at least 0.8, heap growth of at most 64 MiB. Writes
 * {@code target/bench/transfer-<server>.md}.
 */
@EnabledIfSystemProperty(named = "sizeguard.bench.server", matches = "payara|wildfly",
        disabledReason = "runs in the benchmark's Payara and WildFly executions")
class TransferBench {

    private static final String SERVER = System.getProperty("sizeguard.bench.server", "");
    private static final int CHUNK = 256 * 1024;
    private static final long WARM_UP = 64L * BulkTransfer.MIB;
    private static final int ROUNDS = 2;

    @Test
    void measuresTransferThroughputAgainstTheRawEchoAndTheHeapDuringAGibibyte() throws Exception {
        List<WebArchive> wars = List.of(BenchDeployments.sizeguard(), BenchDeployments.containerAlone());
        long total = BulkTransfer.total();
        StringBuilder report = new StringBuilder();
        try (OwnServer server = SERVER.equals("wildfly") ? OwnWildFly.start(wars, "-Xmx1g", "transfer-wildfly")
                : OwnPayaraMicro.start(wars, "-Xmx1g", "transfer-payara")) {
            URL sizeguard = server.base("sizeguard");
            URI transfer = BenchDeployments.ws(sizeguard, "transfer");
            URI raw = BenchDeployments.ws(server.base("plain"), "raw");
            String sha256 = BulkTransfer.expectedSha256(total);
            transfer(transfer, WARM_UP, BulkTransfer.expectedSha256(WARM_UP));
            BulkTransfer.rawEcho(raw, WARM_UP, CHUNK);
            report.append("### Chunked transfer on ").append(SERVER.equals("wildfly") ? "WildFly" : "Payara")
                    .append("\n\nMeasured by `TransferBench` (`mvn verify -Pbench`) in a server of its own (`-Xmx1g`), ")
                    .append(String.format(Locale.ROOT, "%,d MiB per run, %d rounds alternated after a warm-up:%n%n",
                            total / BulkTransfer.MIB, ROUNDS))
                    .append("| round | transfer (MiB/s) | raw echo of the same bytes (MiB/s) | transfer ÷ echo |\n"
                            + "| ---: | ---: | ---: | ---: |\n");
            URI heapUri = BenchDeployments.http(sizeguard, "bench/heap");
            HeapSampler heap = new HeapSampler(heapUri);
            long worstGrowth = 0;
            double worstRatio = Double.MAX_VALUE;
            // Throughput without the sampler (its full collections every 100 ms would slow the transfer), then the
            // heap during one more transfer with it.
            for (int round = 1; round <= ROUNDS; round++) {
                Run sent = transfer(transfer, total, sha256);
                Run echoed = BulkTransfer.rawEcho(raw, total, CHUNK);
                assertThat(sent.ok()).as(sent.check()).isTrue();
                assertThat(echoed.ok()).as(echoed.check()).isTrue();
                double ratio = sent.mibPerSecond() / echoed.mibPerSecond();
                worstRatio = Math.min(worstRatio, ratio);
                report.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f |%n", round, sent.mibPerSecond(),
                        echoed.mibPerSecond(), ratio));
            }
            long before = heap.sample();
            long most;
            try (HeapSampler during = new HeapSampler(heapUri).start()) {
                assertThat(transfer(transfer, total, sha256).ok()).isTrue();
                most = Math.max(during.max(), heap.sample());
            }
            worstGrowth = most - before;
            report.append(String.format(Locale.ROOT, "%nHeap in use (after full collections, every 100 ms) during a "
                    + "further transfer of %,d MiB: %,d → at most %,d MiB (+%,d MiB).%n", total / BulkTransfer.MIB,
                    before >> 20, most >> 20, (most - before) >> 20));
            report.append(String.format(Locale.ROOT, "%nGoals: transfer ÷ echo ≥ 0.8 (lowest here %.2f: %s), heap growth"
                    + " ≤ 64 MiB (most here %,d MiB: %s).%n", worstRatio, worstRatio >= 0.8 ? "met" : "missed",
                    worstGrowth >> 20, worstGrowth <= 64L << 20 ? "met" : "missed"));
        }
        Path out = Path.of("target", "bench", "transfer-" + SERVER + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("| 1 |");
    }

    /** One transfer of {@code total} bytes of the bench's repeated block; its receipt must name {@code sha256}. */
    private static Run transfer(URI endpoint, long total, String sha256) throws Exception {
        long start = System.nanoTime();
        TransferReceipt receipt = TransferClient.create()
                .send(endpoint, new PayloadStream(BulkTransfer.SOURCE, total, null), total, TransferClient.Options.named("bench.bin"))
                .get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean ok = receipt.bytes() == total && receipt.sha256().equals(sha256);
        return new Run(seconds, total, ok, ok ? "sha256 matches" : "receipt " + receipt + ", expected " + sha256);
    }
}
