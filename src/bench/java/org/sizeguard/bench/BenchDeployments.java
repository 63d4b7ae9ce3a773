package org.sizeguard.bench;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.List;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.sizeguard.bench.server.HeapServlet;
import org.sizeguard.bench.server.PartialEcho;
import org.sizeguard.bench.server.RawBinaryEcho;
import org.sizeguard.it.plain.PlainEcho;

/**
 * The two WARs the benchmark deploys, one after the other (the Payara Micro adapter holds one at a time).
 */
final class BenchDeployments {

    private BenchDeployments() {
    }

    /**
     * {@code target/sizeguard.war} as users deploy it, with its own web.xml (64 KiB text, 1 MiB binary; {@code /upload}
     * keeps its annotation's 1 GiB cap, which the integration tests' web.xml lowers to 257 MiB), plus
     * {@link HeapServlet} at {@code /sizeguard/bench/heap}.
     */
    static WebArchive sizeguard() {
        File war = new File("target/sizeguard.war");
        if (!war.isFile()) {
            throw new IllegalStateException("target/sizeguard.war is missing: run the benchmark with mvn verify -Pbench");
        }
        return ShrinkWrap.create(ZipImporter.class, "sizeguard.war").importFrom(war).as(WebArchive.class)
                .addClass(HeapServlet.class);
    }

    /**
     * {@code nometrics.war} (context {@code /nometrics}): Sizeguard's WAR without Micrometer, its registry and
     * {@code /metrics}, as a user's WAR with the core jar and no Micrometer runs.
     */
    static WebArchive sizeguardWithoutMetrics() {
        WebArchive war = ShrinkWrap.create(ZipImporter.class, "nometrics.war").importFrom(new File("target/sizeguard.war"))
                .as(WebArchive.class);
        List<String> metrics = war.getContent().keySet().stream().map(path -> path.get())
                .filter(path -> path.matches("/WEB-INF/lib/(micrometer-|prometheus-metrics-|HdrHistogram-).*")
                        || path.endsWith("/org/sizeguard/app/PrometheusRegistry.class")
                        || path.endsWith("/org/sizeguard/app/MetricsServlet.class"))
                .toList();
        if (metrics.size() < 5) {
            throw new IllegalStateException("target/sizeguard.war holds no Micrometer to leave out: " + metrics);
        }
        metrics.forEach(war::delete);
        return war;
    }

    /**
     * {@code plain.war}, nothing of Sizeguard: {@link PlainEcho} ({@code /plain/plain}, session buffers 64 KiB text
     * and 1 MiB binary set in {@code @OnOpen}), {@link PartialEcho} ({@code /plain/partial}), {@link RawBinaryEcho}
     * ({@code /plain/raw}) and {@link HeapServlet}.
     */
    static WebArchive containerAlone() {
        WebArchive war = ShrinkWrap.create(WebArchive.class, "plain.war")
                .addClasses(PlainEcho.class, PartialEcho.class, RawBinaryEcho.class, HeapServlet.class);
        war.getContent().forEach((path, node) -> {
            if (node.getAsset() != null && path.get().contains("/org/sizeguard/")
                    && !path.get().contains("/org/sizeguard/it/plain/") && !path.get().contains("/org/sizeguard/bench/server/")) {
                throw new IllegalStateException("plain.war must hold no class of Sizeguard, but holds " + path.get());
            }
        });
        return war;
    }

    /** {@code ws://127.0.0.1:port/<context>/<path>}. */
    static URI ws(URL base, String path) {
        return URI.create(http(base, path).toString().replaceFirst("^http", "ws"));
    }

    /** {@code http://127.0.0.1:port/<context>/<path>}; the Payara adapter reports localhost, which may be ::1. */
    static URI http(URL base, String path) {
        String http = base.toExternalForm().replaceFirst("//localhost([:/])", "//127.0.0.1$1");
        return URI.create((http.endsWith("/") ? http : http + "/") + path);
    }
}
