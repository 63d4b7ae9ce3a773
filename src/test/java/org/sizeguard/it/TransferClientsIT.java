package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URL;
import java.time.Duration;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JavaScript transfer client, exactly as the WAR serves it at {@code /sizeguard/js/sizeguard.js}, under Node.js
 * with ws 8.16.0 ({@code src/test/browser/transfer-check.mjs}): an array, an empty payload, exactly one chunk, a
 * Blob, a transfer that resumes by itself after a proxy cuts its connection mid-way, a payload over the endpoint's
 * cap refused with 1009 from the limits before connecting, an aborted transfer; nothing left on the server.
 */
@ExtendWith(ArquillianExtension.class)
class TransferClientsIT {

    private static final String SERVER = System.getProperty("arquillian.launch", "server");
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    @Test
    void theServedJavaScriptModuleTransfersResumesAndRefusesUnderNodeWithWs() throws Exception {
        ClientScript.Run run = ClientScript.node("ws", "transfer-check.mjs", "transfer-check-" + SERVER + ".log",
                TIMEOUT, Deployments.http(base, "").toString());

        if (!run.finished()) {
            fail("transfer-check.mjs did not finish within " + TIMEOUT.toSeconds() + " s; it printed:\n" + run.output());
        }
        assertThat(run.exitCode()).as("exit code of transfer-check.mjs, which printed:%n%s", run.output()).isZero();
        assertThat(run.output()).contains(
                "array transfer: 5242880 bytes, sha256 matches",
                "empty transfer: 0 bytes, sha256 matches",
                "one chunk: 262144 bytes, sha256 matches",
                "blob transfer: 3145728 bytes, sha256 matches",
                "resumed transfer: sha256 matches, 2 WebSocket connections, 1 resumes",
                "over the cap: 1009 transfer of 67108865 bytes exceeds 67108864 bytes",
                "aborted: AbortError",
                "transfers left: 0",
                "DONE");
    }
}
