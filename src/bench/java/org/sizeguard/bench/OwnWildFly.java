package org.sizeguard.bench;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * One WildFly process started by the load benchmark itself, with a heap of its choosing and a server base directory
 * of its own ({@code target/bench/<name>}, a copy of the distribution's {@code standalone/}), so that it never
 * shares state with the Arquillian-managed server of the same installation. Bound to 127.0.0.1 with port offset
 * {@value #PORT_OFFSET}; WARs are deployed by the deployment scanner.
 */
final class OwnWildFly implements OwnServer {

    private static final int PORT_OFFSET = 300;
    private static final long READY_SECONDS = 240;

    private final Process process;

    private OwnWildFly(Process process) {
        this.process = process;
    }

    static OwnWildFly start(List<WebArchive> wars, String heap, String name) throws Exception {
        return start(wars, heap, name, UnaryOperator.identity());
    }

    /** As {@link #start(List, String, String)}, with the copy's {@code standalone.xml} changed by {@code configuration}. */
    static OwnWildFly start(List<WebArchive> wars, String heap, String name, UnaryOperator<String> configuration)
            throws Exception {
        Path home = Path.of(required("wildfly.home")).toAbsolutePath();
        Path base = Path.of("target", "bench", name).toAbsolutePath();
        deleteTree(base);
        copyTree(home.resolve("standalone"), base);
        Path standalone = base.resolve("configuration/standalone.xml");
        Files.writeString(standalone, configuration.apply(Files.readString(standalone)));
        Path deployments = base.resolve("deployments");
        for (WebArchive war : wars) {
            war.as(ZipExporter.class).exportTo(deployments.resolve(war.getName()).toFile(), true);
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1", "-Djboss.socket.binding.port-offset=" + PORT_OFFSET)
                .redirectErrorStream(true).redirectOutput(base.resolve("console.log").toFile());
        builder.environment().put("JAVA_OPTS", heap + " -Djava.net.preferIPv4Stack=true");
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        OwnWildFly wildfly = new OwnWildFly(builder.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        for (WebArchive war : wars) {
            Path deployed = deployments.resolve(war.getName() + ".deployed");
            Path failed = deployments.resolve(war.getName() + ".failed");
            while (!Files.exists(deployed)) {
                if (Files.exists(failed) || !wildfly.alive() || System.nanoTime() > deadline) {
                    wildfly.close();
                    throw new IOException(war.getName() + " was not deployed; see " + base.resolve("console.log"));
                }
                Thread.sleep(200);
            }
        }
        System.out.println("[bench] own WildFly ready on 127.0.0.1:" + (8080 + PORT_OFFSET) + " with " + wars.size()
                + " WARs (" + heap + ", base " + base + ")");
        return wildfly;
    }

    /** {@code http://127.0.0.1:port/<context>/}. */
    @Override
    public URL base(String context) throws IOException {
        return new URL("http://127.0.0.1:" + (8080 + PORT_OFFSET) + "/" + context + "/");
    }

    /** The server's JVM (the child of {@code standalone.sh}). */
    @Override
    public ProcessHandle process() {
        return process.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                .orElse(process.toHandle());
    }

    @Override
    public boolean alive() {
        return process().isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** What a running server writes under its base directory: never copied from the distribution's. */
    private static final java.util.Set<String> STATE = java.util.Set.of("deployments", "tmp", "data", "log");

    /** Copies {@code from} to {@code to}, leaving out the server's state (paths relative to {@code from}). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(path);
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!STATE.contains(relative.getName(0).toString())) {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(path);
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is missing (set by the wildfly-bench execution)");
        }
        return value;
    }
}
