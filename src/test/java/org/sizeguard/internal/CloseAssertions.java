package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;

/**
 * The close a session received, asserted in one line: that the session was closed exactly once, with this code and
 * exactly this reason phrase. For the closes a {@link FakeSession} records.
 */
final class CloseAssertions {

    private CloseAssertions() {
    }

    /** {@code closes} holds one close, with the same {@link CloseCode} as {@code code} and reason {@code reason}. */
    static void assertClosedWith(List<CloseReason> closes, CloseCode code, String reason) {
        assertThat(closes).singleElement().satisfies(close -> {
            assertThat(close.getCloseCode()).isEqualTo(code);
            assertThat(close.getReasonPhrase()).isEqualTo(reason);
        });
    }

    /** {@code closes} holds one close, whose code's number is {@code code} and reason {@code reason}. */
    static void assertClosedWith(List<CloseReason> closes, int code, String reason) {
        assertThat(closes).singleElement().satisfies(close -> {
            assertThat(close.getCloseCode().getCode()).isEqualTo(code);
            assertThat(close.getReasonPhrase()).isEqualTo(reason);
        });
    }
}
