package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.time.Duration;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * A user's WAR with only the core jar in WEB-INF/lib gets the policy and close handling for its own endpoint, and
 * no endpoint it did not write.
 */
@ExtendWith(ArquillianExtension.class)
class CoreJarIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.userWarWithCoreJar();
    }

    @Test
    void guardsTheUsersOwnEndpointWithItsAnnotatedPolicy() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "user-echo"))) {
            client.sendText("0123456789");
            assertThat(client.nextMessage(WAIT).text()).isEqualTo("0123456789");

            client.sendText("0123456789!");
            RawWebSocketClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(1009);
            assertThat(close.reason()).isEqualTo("text message exceeds 10 bytes");
        }
    }

    @Test
    void deploysNoEndpointTheUserDidNotWrite() {
        assertThatThrownBy(() -> RawWebSocketClient.connect(Deployments.ws(base, "echo")).close())
                .hasMessageContaining("handshake refused");
    }
}
