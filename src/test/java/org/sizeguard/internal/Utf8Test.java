package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "ascii", "é", "€", "\uD83D\uDE00", "mixed é € \uD83D\uDE00 text", "\u07FF\u0800\uFFFF"})
    void countsWhatTheUtf8EncoderProduces(String text) {
        assertThat(Utf8.encodedLength(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void countsASurrogatePairSplitAcrossTwoPartsAsFourBytes() {
        String emoji = "\uD83D\uDE00";

        long firstPart = Utf8.encodedLength(emoji.substring(0, 1));
        long secondPart = Utf8.encodedLength(emoji.substring(1));

        assertThat(firstPart + secondPart).isEqualTo(4);
    }

    @Test
    void counts21846EuroSignsAs65538Bytes() {
        assertThat(Utf8.encodedLength("€".repeat(21_846))).isEqualTo(65_538);
    }
}
