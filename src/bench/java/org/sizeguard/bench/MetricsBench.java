package org.sizeguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the metrics cost, in a server of the benchmark's own ({@code -Xmx1g}) with Sizeguard's WAR twice: as built
 * ({@code /sizeguard}, Micrometer bound, scraped at {@code /sizeguard/metrics} once a second during its rounds) and
 * without Micrometer ({@code /nometrics}). The echo of {@link EchoThroughput} (8 clients) alternates between the
 * two round by round; reported: each side's median, the ratio on ÷ off, the spread of each side (the noise), and the
 * slowest scrape under that load. Writes {@code target/bench/metrics-<server>.md}.
 */
@EnabledIfSystemProperty(named = "sizeguard.bench.server", matches = "payara|wildfly",
        disabledReason = "runs in the benchmark's Payara and WildFly executions")
class MetricsBench {

    private static final String SERVER = System.getProperty("sizeguard.bench.server", "");
    private static final int WARM_UP = 4;
    private static final int ROUNDS = Integer.getInteger("bench.metrics.rounds", 12);

    @Test
    void measuresTheEchoWithMetricsAgainstWithoutAndTheScrapeUnderLoad() throws Exception {
        List<WebArchive> wars = List.of(BenchDeployments.sizeguard(), BenchDeployments.sizeguardWithoutMetrics());
        StringBuilder report = new StringBuilder();
        try (OwnServer server = SERVER.equals("wildfly") ? OwnWildFly.start(wars, "-Xmx1g", "metrics-wildfly")
                : OwnPayaraMicro.start(wars, "-Xmx1g", "metrics-payara")) {
            URI metrics = BenchDeployments.http(server.base("sizeguard"), "metrics");
            List<Double> on = new ArrayList<>();
            List<Double> off = new ArrayList<>();
            List<Long> scrapeMillis = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean scraping = new AtomicBoolean(true);
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<Void> scraper = CompletableFuture.runAsync(() -> {
                try {
                    while (scraping.get()) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics)
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || !response.body().contains("sizeguard_messages_received_total")) {
                            throw new IllegalStateException("scrape answered " + response.statusCode());
                        }
                        scrapeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        Thread.sleep(1000); // a scraper's interval, not a wait for an event
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, BenchThreads.POOL);
            try (EchoThroughput guarded = EchoThroughput.open(BenchDeployments.ws(server.base("sizeguard"), "echo"));
                    EchoThroughput unmetered = EchoThroughput.open(
                            BenchDeployments.ws(server.base("nometrics"), "echo"))) {
                EchoThroughput.alternate(List.of(guarded, unmetered), List.of(on, off), WARM_UP, ROUNDS);
            } finally {
                scraping.set(false);
            }
            scraper.get(60, TimeUnit.SECONDS);
            double medianOn = median(on);
            double medianOff = median(off);
            long slowest = scrapeMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
            report.append("### Metrics on ").append(SERVER.equals("wildfly") ? "WildFly" : "Payara")
                    .append(String.format(Locale.ROOT, "%n%nMeasured by `MetricsBench` (`mvn verify -Pbench`) in a server"
                            + " of its own (`-Xmx1g`): echo of %d clients, %d rounds each side alternated after %d "
                            + "warm-up rounds; `/sizeguard/metrics` scraped once a second throughout.%n%n", EchoThroughput.CLIENTS,
                            ROUNDS, WARM_UP))
                    .append("| side | median (msgs/s) | lowest | highest | spread (highest ÷ lowest) |\n"
                            + "| --- | ---: | ---: | ---: | ---: |\n")
                    .append(row("metrics on (Micrometer bound, scraped)", on))
                    .append(row("metrics off (no Micrometer)", off))
                    .append(String.format(Locale.ROOT, "%nRatio on ÷ off (medians): **%.3f**. Scrapes under load: %d, the "
                            + "slowest %d ms.%n", medianOn / medianOff, scrapeMillis.size(), slowest));
            assertThat(scrapeMillis).as("scrapes answered").isNotEmpty();
        }
        Path out = Path.of("target", "bench", "metrics-" + SERVER + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertThat(report).contains("Ratio on");
    }

    private static String row(String side, List<Double> rates) {
        double low = rates.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double high = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.2f |%n", side, median(rates), low, high,
                high / low);
    }

    private static double median(List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
