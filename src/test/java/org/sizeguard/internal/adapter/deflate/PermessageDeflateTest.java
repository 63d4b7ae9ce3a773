package org.sizeguard.internal.adapter.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.websocket.Extension;

import org.junit.jupiter.api.Test;

class PermessageDeflateTest {

    private record Offer(String getName, List<Extension.Parameter> getParameters) implements Extension {
    }

    private record Parameter(String getName, String getValue) implements Extension.Parameter {
    }

    private static Offer deflate(Parameter... parameters) {
        return new Offer("permessage-deflate", List.of(parameters));
    }

    @Test
    void answersTheFirstOfferItHonoursWithoutContextTakeoverInEitherDirection() {
        List<Extension> offers = List.of(new Offer("x-webkit-deflate-frame", List.of()),
                deflate(new Parameter("server_max_window_bits", "10")),
                deflate(new Parameter("client_max_window_bits", null)));

        Extension answer = PermessageDeflate.answer(offers).orElseThrow();

        assertThat(answer.getName()).isEqualTo("permessage-deflate");
        assertThat(answer.getParameters()).extracting(Extension.Parameter::getName)
                .containsExactly("server_no_context_takeover", "client_no_context_takeover");
        assertThat(answer.getParameters()).extracting(Extension.Parameter::getValue).containsOnlyNulls();
        assertThat(answer).hasToString(PermessageDeflate.ANSWER);
    }

    @Test
    void declinesOffersItCannotHonour() {
        assertThat(PermessageDeflate.answer(List.of(deflate(new Parameter("server_max_window_bits", "9")),
                deflate(new Parameter("client_max_window_bits", "16")),
                deflate(new Parameter("server_no_context_takeover", "1")),
                deflate(new Parameter("mystery", null)),
                deflate(new Parameter("client_no_context_takeover", null),
                        new Parameter("client_no_context_takeover", null))))).isEmpty();
        assertThat(PermessageDeflate.answer(List.of())).isEmpty();
    }

    @Test
    void acceptsQuotedWindowBitsAsRfc7692Allows() {
        assertThat(PermessageDeflate.answer(List.of(deflate(new Parameter("client_max_window_bits", "\"12\""),
                new Parameter("server_max_window_bits", "\"15\""))))).isPresent();
    }

    @Test
    void findsPermessageDeflateInAResponseHeaderWhateverItsParameters() {
        assertThat(PermessageDeflate.negotiatedIn("permessage-deflate; server_no_context_takeover")).isTrue();
        assertThat(PermessageDeflate.negotiatedIn("x-custom, Permessage-Deflate")).isTrue();
        assertThat(PermessageDeflate.negotiatedIn("x-webkit-deflate-frame")).isFalse();
        assertThat(PermessageDeflate.negotiatedIn("permessage-deflate-x; a")).isFalse();
        assertThat(PermessageDeflate.negotiatedIn(null)).isFalse();
    }
}
