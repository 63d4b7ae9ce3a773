package org.sizeguard.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.it.smoke.SmokeEcho;

/**
 * Proves the integration-test wiring on whichever container Arquillian launched: a tiny WAR with one annotated
 * echo endpoint deploys, and a real WebSocket client gets its message back.
 */
@ExtendWith(ArquillianExtension.class)
class ContainerSmokeIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "smoke.war").addClass(SmokeEcho.class);
    }

    @ArquillianResource
    URL base;

    @Test
    void annotatedEndpointEchoesATextMessage() throws Exception {
        String http = base.toExternalForm();
        URI uri = URI.create(http.replaceFirst("^http", "ws") + (http.endsWith("/") ? "" : "/") + "smoke");

        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
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
                closed.complete(statusCode);
                reply.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                reply.completeExceptionally(error);
                closed.completeExceptionally(error);
            }
        };

        WebSocket ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, listener)
                .get(30, SECONDS);
        ws.sendText("hello", true).get(10, SECONDS);

        assertThat(reply.get(10, SECONDS)).isEqualTo("hello");

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, SECONDS);
        assertThat(closed.get(10, SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }
}
