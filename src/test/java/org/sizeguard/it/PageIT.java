package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The page at {@code /sizeguard/} in a real browser: {@code src/test/browser/page-check.mjs} drives Debian's
 * headless Chromium through playwright-core (limits table, an echo, a text 1009 and a binary 1009, each as a person
 * would see it), what the browser negotiated (permessage-deflate, on both servers), a chunked transfer from the
 * page's form with the server's SHA-256 equal to the browser's, and the served module resuming by itself in the
 * browser after a proxy cuts its connection mid-way. Skipped,
 * saying what to install, where Chromium or the node modules are missing; {@code .ci/run} installs both.
 */
@ExtendWith(ArquillianExtension.class)
class PageIT {

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
        String server = System.getProperty("arquillian.launch", "server");
        Path screenshot = Files.createDirectories(Path.of("target", "page-check")).resolve(server + ".png");

        ClientScript.Run run = ClientScript.node("playwright-core", "page-check.mjs", "page-check-" + server + ".log",
                TIMEOUT, Deployments.http(base, "").toString(), screenshot.toAbsolutePath().toString());

        if (!run.finished()) {
            fail("page-check.mjs did not finish within " + TIMEOUT.toSeconds() + " s; it printed:\n" + run.output());
        }
        assertThat(run.exitCode()).as("exit code of page-check.mjs, which printed:%n%s", run.output()).isZero();
        assertThat(run.output()).contains(
                "/echo | default | 65,536 | 1,048,576",
                "Accepted: the server echoed 100 bytes.",
                // Chromium offers permessage-deflate on every connection; Sizeguard negotiates it on both servers.
                "negotiated: permessage-deflate",
                "Closed with 1009 “text message exceeds 65536 bytes”",
                "Closed with 1009 “binary message exceeds 1048576 bytes”",
                "Message too big: the message exceeded the limit of its policy",
                "transfer cap of /transfer: 1,073,741,824",
                "page transfer: sha256 matches",
                "browser resumed transfer: sha256 matches, 2 WebSocket connections, 1 resumes",
                "PASSED");
    }
}
