package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;

class SizeLimitedDecodersTest {

    private static final MessageSizePolicy POLICY = new MessageSizePolicy("p", 8, 8);

    private static SizeLimitedTextDecoder text() {
        SizeLimitedTextDecoder decoder = new SizeLimitedTextDecoder(POLICY);
        decoder.init(null);
        return decoder;
    }

    private static SizeLimitedBinaryDecoder binary() {
        SizeLimitedBinaryDecoder decoder = new SizeLimitedBinaryDecoder(POLICY);
        decoder.init(null);
        return decoder;
    }

    @Test
    void readsTextOfExactlyTheLimitInUtf8Bytes() throws Exception {
        // 'a' 'b' (2) + U+1F600 (4) + ... = 6 bytes; plus 'cd' = 8.
        assertThat(text().decode(new StringReader("ab\uD83D\uDE00cd"))).isEqualTo("ab\uD83D\uDE00cd");
    }

    @Test
    void refusesTextOneUtf8ByteOverTheLimitWith1009() {
        assertThatThrownBy(() -> text().decode(new StringReader("€€€")))
                .isInstanceOfSatisfying(MessageTooBigException.class, e -> {
                    assertThat(e.closeCode().getCode()).isEqualTo(1009);
                    assertThat(e.getMessage()).isEqualTo("text message exceeds 8 bytes");
                });
    }

    @Test
    void readsBinaryOfExactlyTheLimitAndRefusesOneByteMore() throws Exception {
        assertThat(binary().decode(new ByteArrayInputStream(new byte[8]))).hasSize(8);

        assertThatThrownBy(() -> binary().decode(new ByteArrayInputStream(new byte[9])))
                .isInstanceOf(MessageTooBigException.class)
                .hasMessage("binary message exceeds 8 bytes");
    }

    @Test
    void fallsBackToTheBuiltInDefaultsWithoutCdiOrAPolicy() throws Exception {
        SizeLimitedTextDecoder decoder = new SizeLimitedTextDecoder();
        decoder.init(null);

        assertThat(decoder.decode(new StringReader("x".repeat(65_536)))).hasSize(65_536);
        assertThatThrownBy(() -> decoder.decode(new StringReader("x".repeat(65_537))))
                .isInstanceOf(MessageTooBigException.class);
    }
}
