package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * A session's idle timeout ({@code setMaxIdleTimeout}, 1 s on {@code /it/idle}). On Payara Sizeguard keeps it itself
 * (Tyrus's own timer costs a scheduled task per frame): traffic of any kind, pings too, keeps the session open, and
 * an idle one is closed with 1001. On WildFly Undertow keeps it, and the session is closed too.
 */
@ExtendWith(ArquillianExtension.class)
class IdleTimeoutIT {

    private static final boolean PAYARA = "payara-micro".equals(System.getProperty("arquillian.launch"));
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    @Test
    void keepsASessionWithTrafficOpenAndClosesItOnceItIsIdleForLongerThanItsTimeout() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "it/idle"))) {
            // Pings every 300 ms for 2.4 s: more than twice the timeout, never idle for as long as it.
            ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
            CompletableFuture<Void> pinged = new CompletableFuture<>();
            AtomicInteger pings = new AtomicInteger();
            try {
                pinger.scheduleAtFixedRate(() -> {
                    try {
                        client.sendFrame(true, 0x9, 4, RawWebSocketClient.PayloadSource.repeating((byte) 'p'));
                        if (pings.incrementAndGet() == 8) {
                            pinged.complete(null);
                        }
                    } catch (IOException closed) {
                        pinged.completeExceptionally(closed);
                    }
                }, 0, 300, TimeUnit.MILLISECONDS);
                pinged.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                pinger.shutdownNow();
            }
            if (PAYARA) {
                assertThat(client.closeFuture()).as("closed while pinging").isNotDone();
                client.sendText("still open");
                assertThat(client.nextMessage(WAIT).text()).isEqualTo("still open");
            }

            RawWebSocketClient.Close close = client.awaitClose(WAIT);

            if (PAYARA) {
                assertThat(close.code()).isEqualTo(1001);
                assertThat(close.reason()).isEqualTo("idle for more than 1000 ms");
            } else {
                assertThat(close.code()).as("Undertow's idle close").isPositive();
            }
        }
    }
}
