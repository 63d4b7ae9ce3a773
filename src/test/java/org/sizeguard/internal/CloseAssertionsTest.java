package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sizeguard.internal.CloseAssertions.assertClosedWith;

import java.util.List;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.api.Test;

class CloseAssertionsTest {

    private static final CloseReason TOO_BIG = new CloseReason(CloseCodes.TOO_BIG, "text message exceeds 10 bytes");

    @Test
    void passesForOneCloseWithTheCodeAndTheReason() {
        assertThatCode(() -> assertClosedWith(List.of(TOO_BIG), CloseCodes.TOO_BIG, "text message exceeds 10 bytes"))
                .doesNotThrowAnyException();
        assertThatCode(() -> assertClosedWith(List.of(TOO_BIG), 1009, "text message exceeds 10 bytes"))
                .doesNotThrowAnyException();
    }

    @Test
    void failsForAnotherCodeOrAnotherReason() {
        assertThatThrownBy(() -> assertClosedWith(List.of(TOO_BIG), CloseCodes.VIOLATED_POLICY,
                "text message exceeds 10 bytes")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertClosedWith(List.of(TOO_BIG), 1009, "text message exceeds 10"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void failsForNoCloseOrMoreThanOne() {
        assertThatThrownBy(() -> assertClosedWith(List.of(), 1009, "text message exceeds 10 bytes"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertClosedWith(List.of(TOO_BIG, TOO_BIG), 1009, "text message exceeds 10 bytes"))
                .isInstanceOf(AssertionError.class);
    }
}
