package org.sizeguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * One Payara Micro process with several WARs, started by the benchmark itself: the Arquillian adapter holds one
 * deployment at a time, and (b) and (c) need the container alone and Sizeguard in the same server JVM at the same
 * time, so that their rounds can alternate. Same jar, preboot file (127.0.0.1 only, Hazelcast off) and heap as
 * arquillian.xml's {@code payara-micro} container; its runtime and log go under {@code target/bench/payara-micro}.
 */
final class OwnPayaraMicro implements OwnServer {

    private static final long READY_SECONDS = 240;

    private final Process process;
    private final int port;

    private OwnPayaraMicro(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static OwnPayaraMicro start(List<WebArchive> wars) throws Exception {
        return start(wars, "-Xmx1g", "payara-micro");
    }

    /**
     * @param heap the server JVM's heap option, e.g. {@code -Xmx512m}
     * @param name the directory under {@code target/bench} for its runtime and log
     */
    static OwnPayaraMicro start(List<WebArchive> wars, String heap, String name) throws Exception {
        String jar = required("payara.micro.jar");
        String preboot = required("sizeguard.payara.preboot");
        Path dir = Files.createDirectories(Path.of("target", "bench", name).toAbsolutePath());
        Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(dir.resolve("unpacked"));
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-jar", jar, "--nocluster", "--disablephonehome", "--prebootcommandfile", preboot,
                "--port", String.valueOf(port), "--rootdir", dir.resolve("root").toString(),
                "--unpackdir", dir.resolve("unpacked").toString()));
        for (WebArchive war : wars) {
            Path file = dir.resolve(war.getName());
            war.as(ZipExporter.class).exportTo(file.toFile(), true);
            command.add("--deploy");
            command.add(file.toString());
        }
        Path log = dir.resolve("payara-micro.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); PrintWriter file = new PrintWriter(Files.newBufferedWriter(log))) {
                String line;
                while ((line = out.readLine()) != null) {
                    file.println(line);
                    file.flush();
                    if (line.contains("Payara Micro") && line.contains("ready in")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("Payara Micro ended before it was ready; see " + log));
        }, "payara-micro-output");
        reader.setDaemon(true);
        reader.start();
        OwnPayaraMicro micro = new OwnPayaraMicro(process, port);
        try {
            ready.get(READY_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            micro.close();
            throw new IOException("Payara Micro not ready within " + READY_SECONDS + " s; see " + log, e);
        } catch (Exception e) {
            micro.close();
            throw e;
        }
        System.out.println("[bench] own Payara Micro ready on 127.0.0.1:" + port + " with " + wars.size()
                + " WARs (log: " + log + ")");
        return micro;
    }

    /** {@code http://127.0.0.1:port/<context>/}; a WAR's context root is its file name without {@code .war}. */
    @Override
    public URL base(String context) throws IOException {
        return new URL("http://127.0.0.1:" + port + "/" + context + "/");
    }

    /** The server's JVM process. */
    @Override
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Whether the server process still runs. */
    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is missing (set by the payara-bench execution)");
        }
        return value;
    }
}
