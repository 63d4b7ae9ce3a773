package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;

class MessageInProgressTest {

    private final MessageInProgress message = new MessageInProgress();

    @Test
    void admitsFramesUpToExactlyTheLimit() {
        message.start(MessageKind.TEXT);

        message.admit(600, 1000);
        message.admit(400, 1000);

        assertThat(message.bytes()).isEqualTo(1000);
        assertThat(message.open()).isTrue();
    }

    @Test
    void refusesTheFrameThatTakesTheMessageOverItsLimitWith1009AndCountsItNot() {
        message.start(MessageKind.BINARY);
        message.admit(600, 1000);

        assertThatThrownBy(() -> message.admit(401, 1000)).isInstanceOfSatisfying(MessageTooBigException.class,
                tooBig -> {
                    assertThat(tooBig.closeReason().getCloseCode().getCode()).isEqualTo(1009);
                    assertThat(tooBig.closeReason().getReasonPhrase()).isEqualTo("binary message exceeds 1000 bytes");
                    assertThat(tooBig.observedBytes()).isEqualTo(1001);
                });
        assertThat(message.bytes()).isEqualTo(600);
    }

    @Test
    void saturatesADeclaredLengthThatWouldWrapTheTotalAround() {
        message.start(MessageKind.TEXT);
        message.admit(11, Long.MAX_VALUE);

        assertThatThrownBy(() -> message.admit(Long.MAX_VALUE, 100_000))
                .isInstanceOfSatisfying(MessageTooBigException.class,
                        tooBig -> assertThat(tooBig.observedBytes()).isEqualTo(Long.MAX_VALUE));
        message.admit(Long.MAX_VALUE, Long.MAX_VALUE);
        assertThat(message.bytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void reportsAMessageAsStartedOncePerMessage() {
        assertThat(message.reportStart()).isNull();
        message.start(MessageKind.BINARY);

        assertThat(message.reportStart()).isEqualTo(MessageKind.BINARY);
        assertThat(message.reportStart()).isNull();

        message.end();
        message.start(MessageKind.TEXT);
        assertThat(message.reportStart()).isEqualTo(MessageKind.TEXT);
    }

    @Test
    void endsWithItsFinalFrameAndStartsTheNextFromZero() {
        message.start(MessageKind.TEXT);
        message.admit(900, 1000);

        message.end();

        assertThat(message.open()).isFalse();
        assertThat(message.kind()).isNull();
        message.start(MessageKind.TEXT);
        message.admit(1000, 1000);
        assertThat(message.bytes()).isEqualTo(1000);
    }
}
