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
        message.start(MessageKind.TEXT, 1000);

        message.admit(600);
        message.admit(400);

        assertThat(message.bytes()).isEqualTo(1000);
        assertThat(message.open()).isTrue();
    }

    @Test
    void refusesTheFrameThatTakesTheMessageOverItsLimitWith1009AndCountsItNot() {
        message.start(MessageKind.BINARY, 1000);
        message.admit(600);

        assertThatThrownBy(() -> message.admit(401)).isInstanceOfSatisfying(MessageTooBigException.class,
                tooBig -> {
                    assertThat(tooBig.closeReason().getCloseCode().getCode()).isEqualTo(1009);
                    assertThat(tooBig.closeReason().getReasonPhrase()).isEqualTo("binary message exceeds 1000 bytes");
                    assertThat(tooBig.observedBytes()).isEqualTo(1001);
                });
        assertThat(message.bytes()).isEqualTo(600);
    }

    @Test
    void saturatesADeclaredLengthThatWouldWrapTheTotalAround() {
        message.start(MessageKind.TEXT, 100_000);
        message.admit(11);

        assertThatThrownBy(() -> message.admit(Long.MAX_VALUE))
                .isInstanceOfSatisfying(MessageTooBigException.class,
                        tooBig -> assertThat(tooBig.observedBytes()).isEqualTo(Long.MAX_VALUE));
        message.end();
        message.start(MessageKind.TEXT, Long.MAX_VALUE);
        message.admit(11);
        message.admit(Long.MAX_VALUE);
        assertThat(message.bytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void holdsAMessageToTheLimitItBeganWith() {
        message.start(MessageKind.BINARY, 1000);

        assertThat(message.limit()).isEqualTo(1000);
        assertThatThrownBy(() -> message.admit(1001)).isInstanceOf(MessageTooBigException.class);
        message.end();
        message.start(MessageKind.BINARY, 2000);
        message.admit(1001);
        assertThat(message.limit()).isEqualTo(2000);
    }

    @Test
    void reportsAMessageAsStartedOncePerMessage() {
        assertThat(message.reportStart()).isNull();
        message.start(MessageKind.BINARY, 1000);

        assertThat(message.reportStart()).isEqualTo(MessageKind.BINARY);
        assertThat(message.reportStart()).isNull();

        message.end();
        message.start(MessageKind.TEXT, 1000);
        assertThat(message.reportStart()).isEqualTo(MessageKind.TEXT);
    }

    @Test
    void endsWithItsFinalFrameAndStartsTheNextFromZero() {
        message.start(MessageKind.TEXT, 1000);
        message.admit(900);

        message.end();

        assertThat(message.open()).isFalse();
        assertThat(message.kind()).isNull();
        message.start(MessageKind.TEXT, 1000);
        message.admit(1000);
        assertThat(message.bytes()).isEqualTo(1000);
    }
}
