package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * Where limits come from, on the real server: a named policy set in web.xml, a system property of the server JVM
 * overriding web.xml (arquillian.xml passes {@code -Dsizeguard.policy.sysprop.max-text-message-size=3000}), the
 * policy CDI injects into endpoints and decoders, and {@code /sizeguard/limits}.
 */
@ExtendWith(ArquillianExtension.class)
class ConfigurationIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    @Test
    void appliesANamedPolicyFromWebXml() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "it/named"))) {
            client.sendText("n".repeat(100));
            assertThat(client.nextMessage(WAIT).text()).hasSize(100);
            client.sendBinary(new byte[200]);
            assertThat(client.nextMessage(WAIT).payload()).hasSize(200);

            client.sendText("n".repeat(101));
            RawWebSocketClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo("text message exceeds 100 bytes");
        }
    }

    @Test
    void appliesTheNamedBinaryLimitFromWebXml() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "it/named"))) {
            client.sendBinary(new byte[201]);

            assertThat(client.awaitClose(WAIT).reason()).isEqualTo("binary message exceeds 200 bytes");
        }
    }

    @Test
    void letsASystemPropertyOverrideWebXmlAndTheAnnotation() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "it/sysprop"))) {
            client.sendText("s".repeat(3000));
            assertThat(client.nextMessage(WAIT).text()).hasSize(3000);

            client.sendText("s".repeat(3001));
            assertThat(client.awaitClose(WAIT).reason()).isEqualTo("text message exceeds 3000 bytes");
        }
    }

    @Test
    void currentFindsTheDeployedPoliciesAndCountsThroughCdiFromAnEndpointMethod() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "it/current"))) {
            client.sendText("hi");

            assertThat(client.nextMessage(WAIT).text()).isEqualTo("endpoint=small/100/200 default=default open=true");
        }
    }

    @Test
    void injectsTheEndpointsPolicyIntoTheEndpointAndItsDecoder() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "it/injected"))) {
            client.sendText("hi");

            assertThat(client.nextMessage(WAIT).text())
                    .isEqualTo("endpoint=small/100/200 decoder=small/100/200 text=hi");
        }
    }

    @Test
    void publishesTheEffectiveLimitsAsJson() throws Exception {
        String json = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(Deployments.http(base, "limits")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(json)
                .contains("\"default\":{\"name\":\"default\",\"maxTextBytes\":65536,\"maxBinaryBytes\":1048576,")
                .contains("\"/echo\":{\"name\":\"default\",\"maxTextBytes\":65536,\"maxBinaryBytes\":1048576,")
                .contains("\"/it/named\":{\"name\":\"small\",\"maxTextBytes\":100,\"maxBinaryBytes\":200,")
                .contains("\"/it/sysprop\":{\"name\":\"sysprop\",\"maxTextBytes\":3000,\"maxBinaryBytes\":1048576,")
                .contains("\"/upload\":{\"name\":\"upload\",\"maxTextBytes\":65536,\"maxBinaryBytes\":1048576,"
                        + "\"maxTextStreamBytes\":65536,\"maxBinaryStreamBytes\":269484032,\"completionTimeoutMillis\":300000,"
                        + "\"maxNestingDepth\":64,\"maxElements\":100000,\"maxValueBytes\":1048576,"
                        + "\"permessageDeflate\":true,\"maxTransferBytes\":1073741824,\"transferChunkBytes\":262144,"
                        + "\"transferWindow\":4,\"maxTransfersPerSession\":2,\"transferRetentionMillis\":600000,"
                        + "\"transferDeadlineMillis\":3600000,\"transfers\":false}")
                .contains("\"/it/uncompressed\":{\"name\":\"uncompressed\",")
                .contains("\"maxValueBytes\":1048576,\"permessageDeflate\":false,")
                .contains("\"/it/files\":{\"name\":\"files\",")
                .contains("\"maxTransferBytes\":67108864,\"transferChunkBytes\":16384,\"transferWindow\":2,")
                .contains("\"transferRetentionMillis\":120000,\"transferDeadlineMillis\":3600000,\"transfers\":true}")
                .contains("\"/transfer\":{\"name\":\"transfer\",");
    }
}
