package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The page at {@code /sizeguard/} in a real browser: {@code src/test/browser/page-check.mjs} drives Debian's
 * headless Chromium through playwright-core (limits table, an echo, a text 1009 and a binary 1009, each as a person
 * would see it). Skipped, saying what to install, where Chromium or the node modules are missing; {@code .ci/run}
 * installs both.
 */
@ExtendWith(ArquillianExtension.class)
class PageIT {

    private static final Path BROWSER_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Above the script's own overall deadline (120 s), so that the script normally reports its failure itself. */
    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    @Test
    void showsLimitsEchoesAndExplains1009InARealBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "no Chromium at " + CHROMIUM + ": install it with `apt-get install -y chromium` (as .ci/run does)");
        assumeTrue(Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
                "no " + BROWSER_DIR + "/node_modules: run `npm ci` in " + BROWSER_DIR + " (as .ci/run does)");
        Optional<Path> node = onPath("node");
        assumeTrue(node.isPresent(), "no `node` on PATH: install Node.js 20 or later");

        String server = System.getProperty("arquillian.launch", "server");
        Path outputDir = Files.createDirectories(Path.of("target", "page-check"));
        Path log = outputDir.resolve(server + ".log");
        Path screenshot = outputDir.resolve(server + ".png");
        String pageUrl = Deployments.http(base, "").toString();

        Process process = new ProcessBuilder(node.get().toString(), "page-check.mjs", pageUrl,
                screenshot.toAbsolutePath().toString())
                .directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            stop(process);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("page-check.mjs on " + server + ":\n" + output);

        if (!finished) {
            fail("page-check.mjs did not finish within " + TIMEOUT.toSeconds() + " s; it printed:\n" + output);
        }
        assertThat(process.exitValue()).as("exit code of page-check.mjs, which printed:%n%s", output).isZero();
        assertThat(output).contains(
                "/echo | default | 65,536 | 1,048,576",
                "Accepted: the server echoed 100 bytes.",
                "Closed with 1009 “text message exceeds 65536 bytes”",
                "Closed with 1009 “binary message exceeds 1048576 bytes”",
                "Message too big: the message exceeded the limit of its policy",
                "PASSED");
    }

    /** Ends the script and the browser it started (their children first, so none is left orphaned). */
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
