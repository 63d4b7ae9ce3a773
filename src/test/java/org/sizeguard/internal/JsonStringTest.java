package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringTest {

    private static String literal(String text) {
        return JsonString.append(new StringBuilder(), text).toString();
    }

    @Test
    void quotesPlainTextAsItIs() {
        assertThat(literal("report.pdf")).isEqualTo("\"report.pdf\"");
        assertThat(literal("")).isEqualTo("\"\"");
    }

    @Test
    void escapesQuoteAndBackslashWithABackslash() {
        assertThat(literal("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void writesLineFeedCarriageReturnAndTabAsShortEscapes() {
        assertThat(literal("\n\r\t")).isEqualTo("\"\\n\\r\\t\"");
    }

    @Test
    void writesEveryOtherControlCharacterAsALowerCaseUnicodeEscape() {
        assertThat(literal("\u0000\b\f\u001f")).isEqualTo("\"\\u0000\\u0008\\u000c\\u001f\"");
    }

    @Test
    void keepsNonAsciiCharactersAndSurrogatePairsAsTheyAre() {
        assertThat(literal("é€\uD83D\uDE00/")).isEqualTo("\"é€\uD83D\uDE00/\"");
    }

    @Test
    void appendsToWhatIsAlreadyWrittenAndReturnsTheSameBuilder() {
        StringBuilder json = new StringBuilder("{");

        assertThat(JsonString.append(json, "k")).isSameAs(json);
        assertThat(json).hasToString("{\"k\"");
    }
}
