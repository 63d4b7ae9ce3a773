package org.sizeguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Node {@code ws} echo server of {@code src/bench/node/ws-anchor.mjs} ({@code maxPayload: 65536}), started as a
 * subprocess bound to 127.0.0.1 on a free port. It exits when its standard input ends; {@link #close()} ends it.
 */
final class WsAnchor implements AutoCloseable {

    static final Path DIR = Path.of("src/bench/node");

    private final Process process;
    private final int port;
    private final String version;

    private WsAnchor(Process process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    /** Why the anchor cannot run here, or {@code null} when it can. */
    static String unavailable() {
        if (!Files.isDirectory(DIR.resolve("node_modules/ws"))) {
            return "no " + DIR + "/node_modules/ws: run `npm ci` in " + DIR + " (the bench profile does)";
        }
        return null;
    }

    static WsAnchor start() throws Exception {
        Process process = new ProcessBuilder("node", "ws-anchor.mjs").directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }, BenchThreads.POOL);
        String line;
        try {
            line = first.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("ws-anchor.mjs did not report its port within 30 s", e);
        }
        if (line == null || !line.startsWith("listening ")) {
            process.destroyForcibly();
            throw new IOException("ws-anchor.mjs printed " + line);
        }
        String version = "?";
        String pkg = Files.readString(DIR.resolve("node_modules/ws/package.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(pkg);
        if (m.find()) {
            version = m.group(1);
        }
        return new WsAnchor(process, Integer.parseInt(line.substring("listening ".length()).trim()), version);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    String version() {
        return version;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
