package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URL;
import java.time.Duration;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Node {@code ws} 8.16.0 with {@code perMessageDeflate: true}, as an application uses it
 * ({@code src/test/browser/ws-check.mjs}): compressed echo intact (ws compresses every message above 1 KiB), a 64 MiB
 * text and a 256 MiB binary refused with 1009 and their reasons, a fresh session served afterwards. On WildFly it
 * negotiates permessage-deflate, so the bombs arrive compressed (64 KiB and 254 KiB on the wire); on Payara nothing
 * is negotiated yet, and the same messages arrive uncompressed and are refused from their frame headers.
 */
@ExtendWith(ArquillianExtension.class)
class NodeWsIT {

    private static final boolean PAYARA = "payara-micro".equals(System.getProperty("arquillian.launch"));
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    @Test
    void nodeWsWithPermessageDeflateGetsItsEchoesAnd1009ForBombs() throws Exception {
        String server = System.getProperty("arquillian.launch", "server");
        String wsBase = Deployments.ws(base, "").toString().replaceFirst("/$", "");

        ClientScript.Run run = ClientScript.node("ws", "ws-check.mjs", "ws-check-" + server + ".log", TIMEOUT, wsBase);

        if (!run.finished()) {
            fail("ws-check.mjs did not finish within " + TIMEOUT.toSeconds() + " s; it printed:\n" + run.output());
        }
        assertThat(run.exitCode()).as("exit code of ws-check.mjs, which printed:%n%s", run.output()).isZero();
        assertThat(run.output()).contains(
                PAYARA ? "negotiated: (none)"
                        : "negotiated: permessage-deflate",
                "text echo intact: true",
                "binary echo intact: true",
                "64 MiB text: 1009 text message exceeds 65536 bytes",
                "256 MiB binary: 1009 binary message exceeds 1048576 bytes",
                "fresh session: after the bombs",
                "DONE");
    }
}
