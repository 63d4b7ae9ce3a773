package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.it.smoke.SmokeEcho;

/**
 * Proves the integration-test wiring: the container starts, deploys a WAR, and a WebSocket round trip works.
 * Runs against whichever container {@code arquillian.launch} selects.
 */
@ExtendWith(ArquillianExtension.class)
class ContainerSmokeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "smoke.war").addClass(SmokeEcho.class);
    }

    @Test
    void echoesAMessage() throws Exception {
        URI uri = webSocketUri("smoke");
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    reply.complete(text.toString());
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                reply.completeExceptionally(new AssertionError("closed " + statusCode + " " + reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                reply.completeExceptionally(error);
            }
        };

        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        WebSocket ws = client.newWebSocketBuilder()
                .connectTimeout(TIMEOUT)
                .buildAsync(uri, listener)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            ws.sendText("hello", true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello");
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /** {@code base} (e.g. {@code http://127.0.0.1:8080/smoke/}) with the scheme turned into ws/wss. */
    private URI webSocketUri(String path) {
        String http = base.toExternalForm();
        String ws = http.replaceFirst("^http", "ws");
        return URI.create(ws.endsWith("/") ? ws + path : ws + "/" + path);
    }
}
