package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URL;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.RawWebSocketClient.Close;
import org.sizeguard.testclient.RawWebSocketClient;

/** {@code /sizeguard/json} and a typed JSON endpoint on the real server, with a raw frame writer. */
@ExtendWith(ArquillianExtension.class)
class JsonIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private Close sendAndAwaitClose(String path, String text) throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, path))) {
            client.sendText(text);
            return client.awaitClose(WAIT);
        }
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Test
    void echoesAJsonObjectWithFourByteCharactersIntact() throws Exception {
        String json = "{\"name\":\"caf\u00e9 \uD83D\uDE00\",\"tags\":[1,2.5,true,null,{\"deep\":[\"x\"]}]}";
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "json"))) {
            client.sendText(json);

            assertThat(parse(client.nextMessage(WAIT).text())).isEqualTo(parse(json));
        }
    }

    @Test
    void closesWith1009WhenNestingExceedsTheDefault64Levels() throws Exception {
        String json = "{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}";

        Close close = sendAndAwaitClose("json", json);

        assertThat(close.code()).isEqualTo(1009);
        assertThat(close.reason()).isEqualTo("JSON nesting exceeds 64 levels");
    }

    @Test
    void closesWith1007WhenTheTextIsNotJson() throws Exception {
        Close close = sendAndAwaitClose("json", "{\"a\": nope}");

        assertThat(close.code()).isEqualTo(1007);
        assertThat(close.reason()).startsWith("JSON could not be parsed");
    }

    @Test
    void closesWith1007WhenTheTextIsNotValidUtf8() throws Exception {
        byte[] invalid = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "json"))) {
            client.sendFrame(true, RawWebSocketClient.TEXT, invalid.length,
                    RawWebSocketClient.PayloadSource.of(invalid));

            assertThat(client.awaitClose(WAIT).code()).isEqualTo(1007);
        }
    }

    @Test
    void closesWith1009WhenTheJsonExceedsTheTextLimit() throws Exception {
        Close close = sendAndAwaitClose("json", "{\"a\":\"" + "x".repeat(65_536) + "\"}");

        assertThat(close.code()).isEqualTo(1009);
        assertThat(close.reason()).isEqualTo("text message exceeds 65536 bytes");
    }

    @Test
    void bindsAnOrderAndAnswersWithItsTotal() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(Deployments.ws(base, "it/json-orders"))) {
            client.sendText("{\"id\":\"o-1\",\"lines\":[{\"sku\":\"a\",\"quantity\":2,\"cents\":150},"
                    + "{\"sku\":\"b\",\"quantity\":1,\"cents\":99}]}");

            assertThat(parse(client.nextMessage(WAIT).text()).getJsonNumber("total").longValue()).isEqualTo(399);
        }
    }

    @Test
    void appliesTheEndpointsStructureLimitsThroughCdi() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            lines.append(i == 0 ? "" : ",").append("{}");
        }

        Close close = sendAndAwaitClose("it/json-orders", "{\"id\":\"o-2\",\"lines\":[" + lines + "]}");

        assertThat(close.code()).isEqualTo(1009);
        assertThat(close.reason()).isEqualTo("JSON has more than 100 elements");
    }

    @Test
    void closesWith1007WhenTheJsonDoesNotMatchTheType() throws Exception {
        Close close = sendAndAwaitClose("it/json-orders", "{\"id\":\"o-3\",\"lines\":\"not a list\"}");

        assertThat(close.code()).isEqualTo(1007);
        assertThat(close.reason()).startsWith("JSON does not match Order");
    }
}
