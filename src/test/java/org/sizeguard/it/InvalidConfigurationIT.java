package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A web.xml with {@code sizeguard.max-text-message-size = 64 parsecs} must fail the deployment with a message
 * naming the key and the value.
 * <p>
 * WildFly's adapter reports the failure as an exception carrying the server's message. Payara Micro's adapter
 * reports a deployment as done once Micro lists it, even when the application failed to start; there the test
 * reads the message from the server output the adapter forwards to this JVM, and checks that the application
 * is not served on the port Micro printed.
 */
@ExtendWith(ArquillianExtension.class)
class InvalidConfigurationIT {

    private static final String INVALID = "invalid";
    private static final Pattern MICRO_PORT = Pattern.compile("\"Http Port\\(s\\)\": \"(\\d+)\"");

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = INVALID, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithInvalidSize();
    }

    @Test
    void failsTheDeploymentNamingKeyAndValue() throws Exception {
        ByteArrayOutputStream serverOutput = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new Tee(original, serverOutput), true, StandardCharsets.UTF_8));
        Throwable thrown;
        try {
            thrown = catchThrowable(() -> deployer.deploy(INVALID));
        } finally {
            System.setOut(original);
        }
        String output = serverOutput.toString(StandardCharsets.UTF_8);
        try {
            String evidence = thrown == null ? output : stackTrace(thrown);
            assertThat(evidence).contains("sizeguard.max-text-message-size").contains("64 parsecs");
            if (thrown == null) {
                assertNotServed(output);
            }
        } finally {
            if (thrown == null) {
                deployer.undeploy(INVALID);
            }
        }
    }

    private static void assertNotServed(String output) throws Exception {
        Matcher port = MICRO_PORT.matcher(output);
        assertThat(port.find()).as("Payara Micro printed its HTTP port").isTrue();
        URI limits = URI.create("http://127.0.0.1:" + port.group(1) + "/sizeguard/limits");
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(limits)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(404);
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** Writes to both streams, so that the build log still shows the server output. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
