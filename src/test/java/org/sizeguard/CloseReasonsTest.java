package org.sizeguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.api.Test;

class CloseReasonsTest {

    @Test
    void keepsAShortReasonAsItIs() {
        CloseReason reason = CloseReasons.of(CloseCodes.TOO_BIG, "text message exceeds 65536 bytes");

        assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
        assertThat(reason.getReasonPhrase()).isEqualTo("text message exceeds 65536 bytes");
    }

    @Test
    void keepsAReasonOfExactly123Bytes() {
        String phrase = "a".repeat(123);

        assertThat(CloseReasons.of(CloseCodes.TOO_BIG, phrase).getReasonPhrase()).isEqualTo(phrase);
    }

    @Test
    void cutsAnAsciiReasonAt123Bytes() {
        String phrase = CloseReasons.of(CloseCodes.TOO_BIG, "b".repeat(200)).getReasonPhrase();

        assertThat(phrase).isEqualTo("b".repeat(123));
    }

    @Test
    void dropsAFourByteCharacterThatWouldStraddleTheCut() {
        // 121 ASCII bytes + U+1F600 (4 bytes in UTF-8, a surrogate pair in Java) = 125 bytes: the emoji must go
        // whole, leaving 121 bytes, rather than be split into an invalid sequence.
        String phrase = "c".repeat(121) + "\uD83D\uDE00" + "tail";

        String cut = CloseReasons.of(CloseCodes.TOO_BIG, phrase).getReasonPhrase();

        assertThat(cut).isEqualTo("c".repeat(121));
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
    }

    @Test
    void keepsAFourByteCharacterThatEndsExactlyAtTheCut() {
        String phrase = "c".repeat(119) + "\uD83D\uDE00" + "tail";

        String cut = CloseReasons.of(CloseCodes.TOO_BIG, phrase).getReasonPhrase();

        assertThat(cut).isEqualTo("c".repeat(119) + "\uD83D\uDE00");
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(123);
    }

    @Test
    void cutsThreeByteCharactersOnACharacterBoundary() {
        String cut = CloseReasons.truncate("€".repeat(50), 123);

        assertThat(cut).isEqualTo("€".repeat(41));
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(123);
    }

    @Test
    void givesAnEmptyPhraseForNull() {
        assertThat(CloseReasons.of(CloseCodes.TOO_BIG, null).getReasonPhrase()).isEmpty();
    }
}
