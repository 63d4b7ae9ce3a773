package org.sizeguard.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.sizeguard.bench.BulkTransfer.Run;
import org.sizeguard.bench.ReadBeforeClose.Attempt;
import org.sizeguard.bench.server.RawBinaryEcho;
import org.sizeguard.it.plain.PlainEcho;

/** What one run of the benchmark measured on one server, and its Markdown. */
final class BenchReport {

    static final String WS = "Node ws";
    static final String ALONE = "container alone";
    static final String GUARDED = "Sizeguard";

    static final double ECHO_GOAL = 0.97;
    private static final String BOTH_AT_ONCE = "own-payara-micro".equals(SizeguardBench.BOTH)
            ? "Both WARs in one server JVM at once: a Payara Micro process that the benchmark starts with both (same jar, "
                    + "preboot file and heap as the Arquillian container, whose adapter holds one deployment at a time)."
            : "Both WARs in one server JVM at once: two Arquillian deployments.";
    static final double UPLOAD_GOAL = 0.8;
    static final long HEAP_GOAL = 16L << 20;

    final String server;
    String wsVersion = "?";
    /** By subject ({@link #WS}, {@link #ALONE}, {@link #GUARDED}), then declared frame length: every attempt. */
    final Map<String, Map<Long, List<Attempt>>> reads = new LinkedHashMap<>();
    final List<Double> echoAlone = new ArrayList<>();
    final List<Double> echoGuarded = new ArrayList<>();
    /** The container alone echoing through a partial handler and the async remote, as Sizeguard has it do. */
    final List<Double> echoPartial = new ArrayList<>();
    final List<Run> rawEcho = new ArrayList<>();
    final List<Run> uploadOneFrame = new ArrayList<>();
    final List<Run> uploadFrames = new ArrayList<>();
    Heap heapUpload;
    /** SHA-256 in the client JVM on this machine, timed while computing the upload's expected hash. */
    double sha256MiBPerSecond = Double.NaN;
    Heap heapRawEcho;
    final List<String> problems = new ArrayList<>();

    BenchReport(String server) {
        this.server = server;
        for (String subject : List.of(WS, ALONE, GUARDED)) {
            reads.put(subject, new LinkedHashMap<>());
        }
    }

    /** Heap in use after {@code System.gc()}: before the transfer, and the maximum of the samples during it. */
    record Heap(long baseline, long max, int samples, Run run, String servlet) {
        long growth() {
            return max - baseline;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double medianRate(List<Run> runs) {
        return median(runs.stream().filter(Run::ok).map(Run::mibPerSecond).toList());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(server).append(": Sizeguard benchmark\n\n");
        md.append("`mvn verify -Pbench`, ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", Java ")
                .append(System.getProperty("java.version")).append(" (client), ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared by client and server, server heap `-Xmx1g` (arquillian.xml).\n\n");
        readsTable(md);
        echoTable(md);
        bulkTable(md);
        if (!problems.isEmpty()) {
            md.append("**Problems:**\n\n");
            problems.forEach(p -> md.append("- ").append(p).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    private void readsTable(StringBuilder md) {
        md.append("#### (a) Bytes read before the close: one text frame declaring more than a 64 KiB limit\n\n");
        md.append("Node `ws` ").append(wsVersion).append(" (`maxPayload: 65536`, the anchor); the container alone (")
                .append("`plain.war`, `@OnOpen` `setMaxTextMessageBufferSize(").append(PlainEcho.MAX_TEXT)
                .append(")`); Sizeguard (`/sizeguard/echo`, default policy). The payload is written paced: ")
                .append(ReadBeforeClose.CHUNK / 1024).append(" KiB, then up to ").append(ReadBeforeClose.PAUSE.toMillis())
                .append(" ms waiting for the close frame, and so on; the first chunk follows the header at once. ")
                .append("**Bytes are client-written payload bytes when the close frame arrived: an upper bound of the ")
                .append("bytes the server read** (≤). \"(all)\": the frame was read whole and echoed. \"≥ … (no close)\": ")
                .append("the attempt was stopped at ").append(ReadBeforeClose.capSeconds()).append(" s or ")
                .append(ReadBeforeClose.number(ReadBeforeClose.capBytes())).append(" B written without a close; the ")
                .append("pacing keeps what sits in socket buffers to a few chunks, so the server had read about that much.\n\n");
        md.append("Attempts that ended with a close were repeated ").append(SizeguardBench.READ_RUNS)
                .append(" times, each on a new connection (a scheduling hiccup of either side lets more chunks out ")
                .append("before the close arrives); the smallest count is the tightest bound, the largest is shown ")
                .append("after it.\n\n");
        md.append("| frame declares | who | close | reason | payload bytes written | runs | time (longest) |\n");
        md.append("| --- | --- | --- | --- | ---: | ---: | ---: |\n");
        for (long declared : SizeguardBench.DECLARED) {
            for (Map.Entry<String, Map<Long, List<Attempt>>> subject : reads.entrySet()) {
                List<Attempt> runs = subject.getValue().getOrDefault(declared, List.of());
                if (runs.isEmpty()) {
                    runs = List.of(Attempt.notMeasured("no result"));
                }
                Attempt best = best(runs);
                long most = runs.stream().mapToLong(Attempt::bytes).max().orElseThrow();
                String bytes = best.bytesCell() + (most > best.bytes() ? " (largest: " + ReadBeforeClose.number(most) + ")" : "");
                md.append("| ").append(size(declared)).append(" | ").append(subject.getKey()).append(" | ")
                        .append(distinct(runs.stream().map(Attempt::closeCell).toList())).append(" | ")
                        .append(distinct(runs.stream().map(Attempt::reasonCell).toList())).append(" | ").append(bytes)
                        .append(" | ").append(runs.size()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f s",
                                runs.stream().mapToDouble(Attempt::seconds).max().orElseThrow()))
                        .append(" |\n");
            }
        }
        md.append("\nRatios of those byte counts (the smallest of each; a count under one ")
                .append(ReadBeforeClose.CHUNK / 1024).append(" KiB chunk, the resolution of the paced writes, counts as ")
                .append("one chunk): \"≥\" where an exact count is divided by an upper bound, \"~\" where both are upper ")
                .append("bounds (or both lower bounds).\n\n");
        md.append("| frame declares | container alone ÷ Sizeguard (bytes) | Sizeguard ÷ Node ws (bytes) |\n");
        md.append("| --- | ---: | ---: |\n");
        for (long declared : SizeguardBench.DECLARED) {
            Attempt alone = best(reads.get(ALONE).getOrDefault(declared, List.of()));
            Attempt guarded = best(reads.get(GUARDED).getOrDefault(declared, List.of()));
            Attempt ws = best(reads.get(WS).getOrDefault(declared, List.of()));
            md.append("| ").append(size(declared)).append(" | ").append(ratio(alone, guarded)).append(" | ")
                    .append(ratio(guarded, ws)).append(" |\n");
        }
        md.append('\n');
    }

    /** The attempt with the fewest bytes: the tightest upper bound. */
    static Attempt best(List<Attempt> runs) {
        return runs.stream().min(java.util.Comparator.comparingLong(Attempt::bytes)).orElse(null);
    }

    /** The only value, or each value with how many runs gave it. */
    private static String distinct(List<String> values) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        if (counts.size() == 1) {
            return values.get(0);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((v, n) -> parts.add(v + " (" + n + "×)"));
        return String.join("; ", parts);
    }

    private static String ratio(Attempt over, Attempt under) {
        if (over == null || under == null || over.bytes() < 0 || under.bytes() < 0) {
            return "—";
        }
        // One chunk is the resolution of the paced writes: a smaller count (0 when the close came before the
        // first chunk was written) counts as one chunk.
        long floor = ReadBeforeClose.CHUNK;
        String r = String.format(Locale.ROOT, "%.1f×", Math.max(floor, over.bytes()) / (double) Math.max(floor, under.bytes()));
        if (!under.readOn()) {
            // under's bytes are an upper bound: over's exact count (or lower bound) over it is a lower bound
            return (over.readOn() ? "≥ " : "~") + r;
        }
        return over.readOn() ? "~" + r : "≤ " + r;
    }

    private void echoTable(StringBuilder md) {
        double alone = median(echoAlone);
        double guarded = median(echoGuarded);
        double ratio = guarded / alone;
        md.append("#### (b) Small-message echo throughput\n\n");
        md.append(EchoThroughput.CLIENTS).append(" connections at once, each doing ").append(EchoThroughput.roundTrips())
                .append(" round trips of a 100-byte text message per round (send, wait for the echo); ")
                .append("rounds after ").append(SizeguardBench.ECHO_WARM_UP).append(" warm-up rounds. Container alone: ")
                .append("`/plain/plain`; Sizeguard: `/sizeguard/echo`. ")
                .append(BOTH_AT_ONCE).append(" The three endpoints below alternate round by round (A B C, C B A, …). ")
                .append("Median of the rounds.\n\n");
        md.append("| endpoint | msgs/s (median) | min – max | rounds |\n| --- | ---: | ---: | ---: |\n");
        md.append(echoRow("container alone `/plain/plain`", echoAlone));
        md.append(echoRow("Sizeguard `/sizeguard/echo`", echoGuarded));
        md.append(String.format(Locale.ROOT, "| **Sizeguard ÷ container alone** | **%.3f** | goal ≥ %.2f: %s | |%n",
                ratio, ECHO_GOAL, Double.isNaN(ratio) ? "not measured" : ratio >= ECHO_GOAL ? "met" : String.format(
                        Locale.ROOT, "missed by %.3f", ECHO_GOAL - ratio)));
        md.append(echoRow("diagnostic: container alone, partial handler + `getAsyncRemote()` `/plain/partial`",
                echoPartial));
        md.append('\n');
        double partial = median(echoPartial);
        md.append(String.format(Locale.ROOT, "Split of Sizeguard ÷ container alone (%.3f) into the container's share "
                + "and Sizeguard's: Sizeguard has the container deliver through partial handlers and reply through the "
                + "async remote, as `/plain/partial` does without Sizeguard. The container's share, partial ÷ whole "
                + "echo, both container alone: %.3f; Sizeguard's own work per message, Sizeguard ÷ `/plain/partial`: "
                + "%.3f.%n%n", ratio, partial / alone, median(echoGuarded) / partial));
    }

    private static String echoRow(String label, List<Double> rates) {
        if (rates.isEmpty()) {
            return "| " + label + " | not measured | | 0 |\n";
        }
        return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f – %,.0f | %d |%n", label, median(rates),
                rates.stream().mapToDouble(d -> d).min().orElseThrow(),
                rates.stream().mapToDouble(d -> d).max().orElseThrow(), rates.size());
    }

    private void bulkTable(StringBuilder md) {
        long total = BulkTransfer.total();
        md.append("#### (c) ").append(size(total)).append(" upload versus raw binary echo, and heap growth\n\n");
        md.append("The same bytes each time (a 1 MiB random block, repeated). MiB/s = ").append(size(total))
                .append(" ÷ seconds from the first byte written to the upload's receipt (sha256 checked) or to the ")
                .append("last echoed byte. The raw echo (container alone, `/plain/raw`, binary buffer ")
                .append(RawBinaryEcho.MAX_BINARY >> 20).append(" MiB) sends ").append(size(total))
                .append(" as 1 MiB binary messages and gets as much back. ")
                .append(BOTH_AT_ONCE).append(" The transfers alternate. ")
                .append("Median of the runs; none of these runs is heap-sampled.\n\n");
        md.append("| transfer | MiB/s (median) | runs (MiB/s) | check |\n| --- | ---: | --- | --- |\n");
        md.append(bulkRow("raw binary echo, 1 MiB messages, container alone `/plain/raw`", rawEcho));
        md.append(bulkRow("Sizeguard `/sizeguard/upload`, one frame", uploadOneFrame));
        md.append(bulkRow("Sizeguard `/sizeguard/upload`, one message in 1 MiB frames", uploadFrames));
        double echo = medianRate(rawEcho);
        md.append(String.format(Locale.ROOT, "| **upload (one frame) ÷ raw echo** | **%.2f** | goal ≥ %.1f: %s | |%n",
                medianRate(uploadOneFrame) / echo, UPLOAD_GOAL, verdict(medianRate(uploadOneFrame) / echo)));
        md.append(String.format(Locale.ROOT, "| **upload (1 MiB frames) ÷ raw echo** | **%.2f** | goal ≥ %.1f: %s | |%n%n",
                medianRate(uploadFrames) / echo, UPLOAD_GOAL, verdict(medianRate(uploadFrames) / echo)));
        md.append(String.format(Locale.ROOT, "For scale: SHA-256 (which `/upload` computes) ran at %.0f MiB/s in the "
                + "client JVM on this machine (timed while computing the expected hash).%n%n", sha256MiBPerSecond));

        md.append("Heap: `GET <context>/bench/heap` runs `System.gc()` and returns the heap in use; sampled once ")
                .append("before the transfer (baseline) and every ").append(HeapSampler.EVERY.toMillis())
                .append(" ms during it from another thread; growth = max − baseline. Approximate: a sample is what ")
                .append("survives a full collection at that instant, a peak between samples is missed, and the ")
                .append("collections slow the transfer (so its MiB/s is not comparable with the table above).\n\n");
        md.append("| transfer (heap-sampled run) | baseline | max during | growth | samples | MiB/s | check |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        md.append(heapRow("Sizeguard `/sizeguard/upload`, one frame", heapUpload, true));
        md.append(heapRow("raw binary echo, container alone `/plain/raw`", heapRawEcho, false));
        md.append('\n');
        if (heapUpload != null) {
            md.append("Server's GC (from the servlet): `").append(heapUpload.servlet()).append("`\n\n");
        }
    }

    private static String verdict(double ratio) {
        if (Double.isNaN(ratio)) {
            return "not measured";
        }
        return ratio >= UPLOAD_GOAL ? "met" : String.format(Locale.ROOT, "missed by %.2f", UPLOAD_GOAL - ratio);
    }

    private static String bulkRow(String label, List<Run> runs) {
        if (runs.isEmpty()) {
            return "| " + label + " | not measured | | |\n";
        }
        List<String> each = runs.stream()
                .map(r -> String.format(Locale.ROOT, "%.0f%s", r.mibPerSecond(), r.ok() ? "" : " (failed)")).toList();
        List<String> checks = runs.stream().map(Run::check).distinct().toList();
        return String.format(Locale.ROOT, "| %s | %.0f | %s | %s |%n", label, medianRate(runs), String.join(", ", each),
                String.join("; ", checks).replace("|", "\\|"));
    }

    private static String heapRow(String label, Heap heap, boolean goal) {
        if (heap == null) {
            return "| " + label + " | not measured | | | | | |\n";
        }
        String growth = mib(heap.growth()) + (goal ? (heap.growth() <= HEAP_GOAL ? " (goal ≤ 16 MiB: met)"
                : String.format(Locale.ROOT, " (goal ≤ 16 MiB: missed by %s)", mib(heap.growth() - HEAP_GOAL))) : "");
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %.0f | %s |%n", label, mib(heap.baseline()),
                mib(heap.max()), growth, heap.samples(), heap.run().mibPerSecond(), heap.run().check());
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return ReadBeforeClose.number(bytes) + " B";
    }

    /** The ratios, one line each, for the build log. */
    String summary() {
        double echo = medianRate(rawEcho);
        return String.format(Locale.ROOT,
                "[bench] %s: echo Sizeguard ÷ alone = %.3f (%,.0f ÷ %,.0f msgs/s; partial-handler echo ÷ alone = %.3f); upload one frame ÷ raw echo = %.2f, "
                        + "1 MiB frames ÷ raw echo = %.2f (%.0f, %.0f ÷ %.0f MiB/s); heap growth during upload = %s",
                server, median(echoGuarded) / median(echoAlone), median(echoGuarded), median(echoAlone),
                median(echoPartial) / median(echoAlone),
                medianRate(uploadOneFrame) / echo, medianRate(uploadFrames) / echo, medianRate(uploadOneFrame),
                medianRate(uploadFrames), echo, heapUpload == null ? "not measured" : mib(heapUpload.growth()));
    }
}
