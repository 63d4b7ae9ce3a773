package org.sizeguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.api.Test;

class MessageTooBigExceptionTest {

    @Test
    void passesATotalOfExactlyTheLimitThrough() {
        assertThat(MessageTooBigException.requireWithin(MessageKind.TEXT, 10, 10)).isEqualTo(10);
        assertThat(MessageTooBigException.requireWithin(MessageKind.BINARY, "chunk", 10, 10)).isEqualTo(10);
    }

    @Test
    void refusesAMessageOverItsLimitWith1009NamingTheKindAndTheLimit() {
        assertThatThrownBy(() -> MessageTooBigException.requireWithin(MessageKind.TEXT, 10, 11))
                .isInstanceOfSatisfying(MessageTooBigException.class, refused -> {
                    assertThat(refused.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
                    assertThat(refused.closeReason().getReasonPhrase()).isEqualTo("text message exceeds 10 bytes");
                    assertThat(refused.kind()).isEqualTo(MessageKind.TEXT);
                    assertThat(refused.limit()).isEqualTo(10);
                    assertThat(refused.observedBytes()).isEqualTo(11);
                });
    }

    @Test
    void refusesWhatAMessageCarriesOverItsLimitWith1009NamingItItsSizeAndTheLimit() {
        assertThatThrownBy(() -> MessageTooBigException.requireWithin(MessageKind.BINARY, "chunk", 1000, 1001))
                .isInstanceOfSatisfying(MessageTooBigException.class, refused -> {
                    assertThat(refused.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
                    assertThat(refused.closeReason().getReasonPhrase())
                            .isEqualTo("chunk of 1001 bytes exceeds 1000 bytes");
                    assertThat(refused.kind()).isEqualTo(MessageKind.BINARY);
                    assertThat(refused.limit()).isEqualTo(1000);
                    assertThat(refused.observedBytes()).isEqualTo(1001);
                });
    }
}
