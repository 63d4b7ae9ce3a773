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
 * Runs one of the real-client scripts, bounded in time, and returns what it printed: those in
 * {@code src/test/browser} (Chromium through playwright-core, Node ws) with Node.js, those in
 * {@code src/test/python} (Python websockets) with Debian's Python. The calling test is skipped, saying what to
 * install, where the interpreter or the client library is missing; {@code .ci/run} installs them.
 */
final class ClientScript {

    static final Path NODE_DIR = Path.of("src/test/browser");
    static final Path PYTHON_DIR = Path.of("src/test/python");
    /** Debian's, which has python3-websockets; a {@code python3} earlier on the PATH (pyenv) may not. */
    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** What a finished script printed and its exit code. */
    record Run(boolean finished, int exitCode, String output) {
    }

    private ClientScript() {
    }

    /**
     * Runs the Node.js {@code script} of {@code src/test/browser} with {@code arguments}, its output (stdout and
     * stderr) kept in {@code target/client-scripts/<logName>}; stops it and its children if it has not finished
     * within {@code timeout}.
     *
     * @param module a package under {@code node_modules} the script needs, e.g. {@code ws}
     */
    static Run node(String module, String script, String logName, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules").resolve(module)),
                "no " + NODE_DIR + "/node_modules/" + module + ": run `npm ci` in " + NODE_DIR + " (as .ci/run does)");
        Optional<Path> node = onPath("node");
        assumeTrue(node.isPresent(), "no `node` on PATH: install Node.js 20 or later");
        return run(node.get(), NODE_DIR, script, logName, timeout, arguments);
    }

    /**
     * Runs the Python {@code script} of {@code src/test/python} with Debian's Python, which must import
     * {@code module}.
     */
    static Run python(String module, String script, String logName, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        boolean importable = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import " + module).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        assumeTrue(importable, PYTHON + " cannot import " + module + ": install it with `apt-get install -y python3-"
                + module + "` (as .ci/run does)");
        return run(PYTHON, PYTHON_DIR, script, logName, timeout, arguments);
    }

    private static Run run(Path interpreter, Path dir, String script, String logName, Duration timeout,
            String... arguments) throws IOException, InterruptedException {
        Path log = Files.createDirectories(Path.of("target", "client-scripts")).resolve(logName);
        List<String> command = new ArrayList<>(List.of(interpreter.toString(), script));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
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
