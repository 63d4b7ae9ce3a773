package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;

class InflationTest {

    private static byte[] compress(Inflation format, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, format == Inflation.DEFLATE);
        try (OutputStream compressing = format == Inflation.GZIP ? new GZIPOutputStream(out)
                : new DeflaterOutputStream(out, deflater)) {
            compressing.write(plain);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    /** {@code count} zero bytes, compressed, written a block at a time so the test never holds them. */
    private static byte[] zeros(Inflation format, long count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, format == Inflation.DEFLATE);
        byte[] block = new byte[1 << 20];
        try (OutputStream compressing = format == Inflation.GZIP ? new GZIPOutputStream(out)
                : new DeflaterOutputStream(out, deflater)) {
            for (long written = 0; written < count; written += block.length) {
                compressing.write(block, 0, (int) Math.min(block.length, count - written));
            }
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(Inflation.class)
    void inflatesWhatWasCompressedIntact(Inflation format) throws IOException {
        byte[] plain = "{\"order\":42,\"items\":[\"tea\",\"milk\"]}".repeat(200).getBytes(StandardCharsets.UTF_8);

        byte[] inflated = readAll(format.inflate(new ByteArrayInputStream(compress(format, plain)),
                MessageKind.BINARY, plain.length));

        assertThat(inflated).isEqualTo(plain);
    }

    @ParameterizedTest
    @EnumSource(Inflation.class)
    void refusesABombAfterInflatingOneByteBeyondTheLimit(Inflation format) throws IOException {
        byte[] bomb = zeros(format, 64L << 20);
        assertThat(bomb.length).as("64 MiB of zeros compress to under 100 KiB").isLessThan(100 * 1024);

        MessageTooBigException refused = catchThrowableOfType(() -> readAll(format.inflate(
                new ByteArrayInputStream(bomb), MessageKind.BINARY, 65_536)), MessageTooBigException.class);

        assertThat(refused.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
        assertThat(refused.getMessage()).isEqualTo("binary message exceeds 65536 bytes");
        assertThat(refused.observedBytes()).as("inflated before the refusal").isEqualTo(65_537);
    }

    @Test
    void acceptsAPayloadThatInflatesToExactlyTheLimitAndRefusesOneByteMore() throws IOException {
        byte[] limit = new byte[10_000];
        Arrays.fill(limit, (byte) 'a');
        byte[] oneMore = Arrays.copyOf(limit, limit.length + 1);
        oneMore[limit.length] = 'a';

        assertThat(readAll(Inflation.ZLIB.inflate(new ByteArrayInputStream(compress(Inflation.ZLIB, limit)),
                MessageKind.TEXT, 10_000))).hasSize(10_000);
        assertThatThrownBy(() -> readAll(Inflation.ZLIB.inflate(
                new ByteArrayInputStream(compress(Inflation.ZLIB, oneMore)), MessageKind.TEXT, 10_000)))
                .isInstanceOf(MessageTooBigException.class).hasMessage("text message exceeds 10000 bytes");
    }

    @ParameterizedTest
    @EnumSource(Inflation.class)
    void answersDataThatIsNotInTheFormatWith1007(Inflation format) {
        byte[] notCompressed = "plain text, not compressed at all".getBytes(StandardCharsets.UTF_8);

        UndecodableMessageException refused = catchThrowableOfType(() -> readAll(format.inflate(
                new ByteArrayInputStream(notCompressed), MessageKind.BINARY, 1000)), UndecodableMessageException.class);

        assertThat(refused.closeCode()).isEqualTo(CloseCodes.NOT_CONSISTENT);
        assertThat(refused.getMessage()).startsWith("binary message is not valid ");
    }

    @ParameterizedTest
    @EnumSource(Inflation.class)
    void answersCompressedDataThatEndsEarlyWith1007(Inflation format) throws IOException {
        byte[] whole = compress(format, "a sentence long enough to be cut in half".repeat(20).getBytes());
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> readAll(format.inflate(new ByteArrayInputStream(cut), MessageKind.BINARY, 10_000)))
                .isInstanceOf(UndecodableMessageException.class);
    }

    @Test
    void aClosedStreamIsNotReadAgain() throws IOException {
        InputStream inflated = Inflation.GZIP.inflate(new ByteArrayInputStream(compress(Inflation.GZIP,
                new byte[100])), MessageKind.BINARY, 1000);

        inflated.close();

        assertThatThrownBy(inflated::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }
}
