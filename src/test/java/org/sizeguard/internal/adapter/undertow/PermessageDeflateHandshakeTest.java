package org.sizeguard.internal.adapter.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.undertow.websockets.WebSocketExtension;
import io.undertow.websockets.WebSocketExtension.Parameter;
import io.undertow.websockets.extensions.ExtensionHandshake;

import org.junit.jupiter.api.Test;
import org.sizeguard.internal.adapter.deflate.DeflaterPool;

class PermessageDeflateHandshakeTest {

    private final PermessageDeflateHandshake handshake = new PermessageDeflateHandshake(new DeflaterPool(2));

    private static WebSocketExtension offer(Parameter... parameters) {
        return new WebSocketExtension("permessage-deflate", List.of(parameters));
    }

    @Test
    void answersEveryOfferItHonoursWithoutContextTakeoverInEitherDirection() {
        for (WebSocketExtension offer : List.of(offer(), offer(new Parameter("client_max_window_bits", null)),
                offer(new Parameter("client_max_window_bits", "10")),
                offer(new Parameter("server_max_window_bits", "15"), new Parameter("server_no_context_takeover", null)),
                offer(new Parameter("client_no_context_takeover", null)))) {
            WebSocketExtension answer = handshake.accept(offer);

            assertThat(answer.getName()).isEqualTo("permessage-deflate");
            assertThat(answer.getParameters()).extracting(Parameter::getName)
                    .containsExactly("server_no_context_takeover", "client_no_context_takeover");
        }
    }

    @Test
    void declinesWhatItCannotHonourRatherThanMisbehave() {
        assertThat(handshake.accept(offer(new Parameter("server_max_window_bits", "10")))).isNull();
        assertThat(handshake.accept(offer(new Parameter("server_max_window_bits", null)))).isNull();
        assertThat(handshake.accept(offer(new Parameter("client_max_window_bits", "16")))).isNull();
        assertThat(handshake.accept(offer(new Parameter("server_no_context_takeover", "yes")))).isNull();
        assertThat(handshake.accept(offer(new Parameter("mystery", null)))).isNull();
        assertThat(handshake.accept(offer(new Parameter("client_no_context_takeover", null),
                new Parameter("client_no_context_takeover", null)))).isNull();
        assertThat(handshake.accept(new WebSocketExtension("x-webkit-deflate-frame", List.of()))).isNull();
    }

    @Test
    void acceptsOnlyOnePermessageDeflatePerConnection() {
        ExtensionHandshake other = new PermessageDeflateHandshake(new DeflaterPool(1));

        assertThat(handshake.isIncompatible(List.of())).isFalse();
        assertThat(handshake.isIncompatible(List.of(other))).isTrue();
    }
}
