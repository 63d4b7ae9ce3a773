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
 * Third-party clients that offer permessage-deflate, used as applications use them: Node {@code ws} 8.16.0 with
 * {@code perMessageDeflate: true} ({@code src/test/browser/ws-check.mjs}) and Debian's python3-websockets, which offers
 * it by default ({@code src/test/python/websockets_check.py}). Each: compressed echo of a text and a binary intact, a
 * 64 MiB text and a 256 MiB binary refused with 1009 and their reasons, a fresh session served afterwards. Both
 * servers negotiate permessage-deflate, so the bombs arrive compressed (64 KiB and 254 KiB on the wire) and are
 * refused while they are inflated.
 */
@ExtendWith(ArquillianExtension.class)
class CompressingClientsIT {

    private static final String SERVER = System.getProperty("arquillian.launch", "server");
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private String wsBase() {
        return Deployments.ws(base, "").toString().replaceFirst("/$", "");
    }

    @Test
    void nodeWsWithPermessageDeflateGetsItsEchoesAnd1009ForBombs() throws Exception {
        ClientScript.Run run = ClientScript.node("ws", "ws-check.mjs", "ws-check-" + SERVER + ".log", TIMEOUT,
                wsBase());

        assertOutcomes("ws-check.mjs", run, "true");
    }

    @Test
    void pythonWebsocketsWithItsDefaultCompressionGetsItsEchoesAnd1009ForBombs() throws Exception {
        ClientScript.Run run = ClientScript.python("websockets", "websockets_check.py",
                "websockets-check-" + SERVER + ".log", TIMEOUT, wsBase());

        assertOutcomes("websockets_check.py", run, "True");
    }

    /** The lines both scripts print; {@code yes} is how the script's language prints a true boolean. */
    private static void assertOutcomes(String script, ClientScript.Run run, String yes) {
        if (!run.finished()) {
            fail(script + " did not finish within " + TIMEOUT.toSeconds() + " s; it printed:\n" + run.output());
        }
        assertThat(run.exitCode()).as("exit code of %s, which printed:%n%s", script, run.output()).isZero();
        assertThat(run.output()).contains(
                "negotiated: permessage-deflate",
                "text echo intact: " + yes,
                "binary echo intact: " + yes,
                "64 MiB text: 1009 text message exceeds 65536 bytes",
                "256 MiB binary: 1009 binary message exceeds 1048576 bytes",
                "fresh session: after the bombs",
                "DONE");
    }
}
