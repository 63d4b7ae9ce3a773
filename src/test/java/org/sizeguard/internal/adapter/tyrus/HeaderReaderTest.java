package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.clientFrame;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class HeaderReaderTest {

    @Test
    void collectsAHeaderByteByByteAndStopsAtItsEnd() {
        byte[] frame = clientFrame(true, 2, new byte[70_000], 0);
        HeaderReader reader = new HeaderReader(false);

        int position = 0;
        while (!reader.complete()) {
            position = reader.read(frame, position, position + 1);
        }

        assertThat(position).isEqualTo(14);
        FrameHeader header = reader.parse();
        assertThat(header.opcode()).isEqualTo(2);
        assertThat(header.length()).isEqualTo(70_000);
        assertThat(header.masked()).isTrue();
        assertThat(reader.violation()).isNull();
    }

    @Test
    void readsNoFurtherThanTheHeaderWhenThePayloadFollowsInTheSameRead() {
        byte[] frame = clientFrame(true, 1, new byte[10], 0);
        HeaderReader reader = new HeaderReader(false);

        assertThat(reader.read(frame, 0, frame.length)).isEqualTo(6);
        assertThat(reader.complete()).isTrue();
    }

    @Test
    void refusesFromTheFirstTwoBytesWithoutReadingFurther() {
        byte[] unmasked = {(byte) 0x81, 0x05, 'h', 'e', 'l', 'l', 'o'};
        HeaderReader reader = new HeaderReader(false);

        int position = reader.read(unmasked, 0, unmasked.length);

        assertThat(position).isEqualTo(2);
        assertThat(reader.violation()).isEqualTo("client frame is not masked (RFC 6455 5.1)");
    }

    @Test
    void refusesAMaskedFramesFirstTwoBytesBeforeItsLengthAndKeyArrive() {
        byte[] ping = clientFrame(false, 9, new byte[3]);
        HeaderReader reader = new HeaderReader(false);

        int position = reader.read(ping, 0, ping.length);

        assertThat(position).isEqualTo(2);
        assertThat(reader.violation()).isEqualTo("fragmented control frame (RFC 6455 5.5)");
        assertThat(reader.complete()).isFalse();
    }

    @Test
    void allowsRsv1OnADataFrameOnlyWherePermessageDeflateWasNegotiated() {
        byte[] compressed = clientFrame(true, 1, new byte[3], 4);

        HeaderReader plain = new HeaderReader(false);
        plain.read(compressed, 0, compressed.length);
        HeaderReader deflating = new HeaderReader(true);
        deflating.read(compressed, 0, compressed.length);

        assertThat(plain.violation()).isEqualTo("reserved bits 100 set without a negotiated extension (RFC 6455 5.2)");
        assertThat(deflating.violation()).isNull();
        assertThat(deflating.complete()).isTrue();
    }

    @Test
    void writesTheBytesItReadAsTheClientSentThemAndStartsOverWhenCleared() {
        byte[] frame = clientFrame(true, 9, new byte[0], 0);
        HeaderReader reader = new HeaderReader(false);
        reader.read(frame, 0, 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        reader.writeTo(out);
        reader.clear();

        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOf(frame, 4));
        assertThat(reader.complete()).isFalse();
        assertThat(reader.read(frame, 0, frame.length)).isEqualTo(6);
        assertThat(reader.parse().opcode()).isEqualTo(9);
    }
}
