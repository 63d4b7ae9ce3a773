package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * A user's WAR with the core jar and Micrometer, whose application has a {@code MeterRegistry} bean of its own:
 * Sizeguard binds its meters there, and they count the user's endpoint. ({@link CoreJarIT} is the same WAR without
 * Micrometer, which works as before.)
 */
@ExtendWith(ArquillianExtension.class)
class CoreJarMetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.userWarWithCoreJarAndMeterRegistry();
    }

    private List<String> meters() throws Exception {
        return Arrays.asList(Deployments.get(base, "meters").split("\n"));
    }

    @Test
    void bindsSizeguardsMetersToTheApplicationsOwnRegistryAndCountsItsEndpoint() throws Exception {
        assertThat(meters()).contains("sizeguard.refusals{code=1009,endpoint=/user-echo} 0",
                "sizeguard.sessions.open{} 0");

        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "user-echo"))) {
            client.sendText("0123456789");
            assertThat(client.nextMessage(WAIT).text()).isEqualTo("0123456789");
            client.sendText("0123456789!");
            assertThat(client.awaitClose(WAIT).code()).isEqualTo(1009);
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(meters()).contains(
                "sizeguard.refusals{code=1009,endpoint=/user-echo} 1",
                "sizeguard.messages.received{endpoint=/user-echo,kind=text} 1",
                "sizeguard.sessions.open{} 0"));
    }
}
