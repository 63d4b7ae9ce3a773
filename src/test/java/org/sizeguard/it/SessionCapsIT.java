package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * The optional session caps ({@code sizeguard.max-sessions} 5, {@code sizeguard.max-sessions-per-address} 3 in
 * {@code capped.war}): a session beyond either is closed with 1013 naming the cap, the sessions already open keep
 * working, and a place is free again once a session ends. Clients come from several loopback addresses (127.0.0.x).
 */
@ExtendWith(ArquillianExtension.class)
class SessionCapsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    private final List<RawWebSocketClient> clients = new ArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.userWarWithSessionCaps();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (RawWebSocketClient client : clients) {
            client.close();
        }
    }

    private URI echo() {
        return Deployments.ws(base, "user-echo");
    }

    private RawWebSocketClient from(String address) throws Exception {
        RawWebSocketClient client = RawWebSocketClient.connectFrom(echo(), InetAddress.getByName(address));
        clients.add(client);
        return client;
    }

    private static void assertEchoes(RawWebSocketClient client, String text) throws Exception {
        client.sendText(text);
        assertThat(client.nextMessage(WAIT)).as("echo of " + text).isNotNull()
                .satisfies(message -> assertThat(message.text()).isEqualTo(text));
    }

    /**
     * A session from {@code address} that echoes, once the server has released a place: the server ends a session
     * just after answering its close, so the next handshake may still find the place taken and get 1013.
     */
    private RawWebSocketClient admittedFrom(String address) {
        RawWebSocketClient[] admitted = new RawWebSocketClient[1];
        await().atMost(WAIT).until(() -> {
            RawWebSocketClient client = from(address);
            client.sendText("admitted?");
            RawWebSocketClient.Message echo = client.nextMessage(Duration.ofSeconds(2));
            if (echo != null && echo.text().equals("admitted?")) {
                admitted[0] = client;
                return true;
            }
            assertRefused(client, "server budget of " + (address.equals("127.0.0.3") ? "5 sessions"
                    : "3 sessions per client address") + " is spent");
            return false;
        });
        return admitted[0];
    }

    private static void assertRefused(RawWebSocketClient client, String reason) throws Exception {
        RawWebSocketClient.Close close = client.awaitClose(WAIT);
        assertThat(close.code()).isEqualTo(1013);
        assertThat(close.reason()).isEqualTo(reason);
    }

    @Test
    void closesTheSessionBeyondEitherCapWith1013AndAdmitsAgainWhenASessionHasEnded() throws Exception {
        List<RawWebSocketClient> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(from("127.0.0.1"));
            assertEchoes(first.get(i), "one-" + i);
        }
        assertRefused(from("127.0.0.1"), "server budget of 3 sessions per client address is spent");

        RawWebSocketClient second = from("127.0.0.2");
        assertEchoes(second, "two-0");
        assertEchoes(from("127.0.0.2"), "two-1");
        assertRefused(from("127.0.0.3"), "server budget of 5 sessions is spent");
        for (int i = 0; i < 3; i++) {
            assertEchoes(first.get(i), "still-" + i);
        }

        first.get(0).sendClose(1000);
        assertThat(first.get(0).awaitClose(WAIT).code()).isEqualTo(1000);
        assertEchoes(admittedFrom("127.0.0.3"), "three-0");
        assertRefused(from("127.0.0.3"), "server budget of 5 sessions is spent");
    }

    @Test
    void countsNothingForSessionsThatHaveEnded() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<RawWebSocketClient> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawWebSocketClient client = admittedFrom("127.0.0.4");
                open.add(client);
                assertEchoes(client, "round-" + round + "-" + i);
            }
            for (RawWebSocketClient client : open) {
                client.sendClose(1000);
                assertThat(client.awaitClose(WAIT).code()).isEqualTo(1000);
            }
        }
    }
}
