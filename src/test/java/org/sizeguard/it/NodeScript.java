package org.sizeguard.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one of the real-client scripts in {@code src/test/browser} (Chromium through playwright-core, Node ws) with
 * Node.js, bounded in time, and returns what it printed. The calling test is skipped, saying what to install, where
 * Node.js or the node modules are missing; {@code .ci/run} installs both.
 */
final class NodeScript {

    static final Path DIR = Path.of("src/test/browser");

    /** What a finished script printed and its exit code. */
    record Run(boolean finished, int exitCode, String output) {
    }

    private NodeScript() {
    }

    /**
     * Runs {@code script} with {@code arguments}, its output (stdout and stderr) kept in {@code target/<logName>};
     * stops it and its children if it has not finished within {@code timeout}.
     *
     * @param module a package under {@code node_modules} the script needs, e.g. {@code ws}
     */
    static Run run(String module, String script, String logName, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(DIR.resolve("node_modules").resolve(module)),
                "no " + DIR + "/node_modules/" + module + ": run `npm ci` in " + DIR + " (as .ci/run does)");
        Optional<Path> node = onPath("node");
        assumeTrue(node.isPresent(), "no `node` on PATH: install Node.js 20 or later");

        Path log = Files.createDirectories(Path.of("target", "node-scripts")).resolve(logName);
        List<String> command = new ArrayList<>(List.of(node.get().toString(), script));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            stop(process);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(script + " (" + logName + "):\n" + output);
        return new Run(finished, finished ? process.exitValue() : -1, output);
    }

    /** Ends the script and what it started (their children first, so none is left orphaned). */
    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
