package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;

class BoundedInflaterTest {

    private static final String INVALID = "payload is not valid deflate data";

    private static byte[] deflated(byte[] plain) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(plain);
        deflater.finish();
        byte[] out = new byte[plain.length + 64];
        int n = deflater.deflate(out);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    private static byte[] letters(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    @Test
    void inflatesExactlyTheLimitAndCountsIt() {
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated(letters(5000)));
        BoundedInflater<RuntimeException> bounded = new BoundedInflater<>(MessageKind.TEXT, 5000, INVALID,
                inflater::inflate);
        byte[] out = new byte[8000];

        int n = bounded.inflate(out, 0, out.length);

        assertThat(n).isEqualTo(5000);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(letters(5000));
        assertThat(bounded.inflated()).isEqualTo(5000);
        inflater.end();
    }

    @Test
    void refusesTheLimitPlusOneByteWith1009HavingAskedForNoMore() {
        List<Integer> asked = new ArrayList<>();
        BoundedInflater<RuntimeException> bounded = new BoundedInflater<>(MessageKind.BINARY, 100, INVALID,
                (out, offset, length) -> {
                    asked.add(length);
                    return length;
                });
        byte[] out = new byte[1000];

        assertThatThrownBy(() -> bounded.inflate(out, 0, out.length))
                .isInstanceOfSatisfying(MessageTooBigException.class, tooBig -> {
                    assertThat(tooBig.closeReason().getCloseCode().getCode()).isEqualTo(1009);
                    assertThat(tooBig.closeReason().getReasonPhrase()).isEqualTo("binary message exceeds 100 bytes");
                    assertThat(tooBig.observedBytes()).isEqualTo(101);
                });
        assertThat(asked).containsExactly(101);
        assertThat(bounded.inflated()).isEqualTo(101);
    }

    @Test
    void asksForWhatIsLeftOfTheLimitPlusOneAcrossCalls() {
        List<Integer> asked = new ArrayList<>();
        BoundedInflater<RuntimeException> bounded = new BoundedInflater<>(MessageKind.TEXT, 10, INVALID,
                (out, offset, length) -> {
                    asked.add(length);
                    return Math.min(length, 4);
                });
        byte[] out = new byte[100];

        bounded.inflate(out, 0, 100);
        bounded.inflate(out, 0, 100);
        assertThatThrownBy(() -> bounded.inflate(out, 0, 100)).isInstanceOf(MessageTooBigException.class);

        assertThat(asked).containsExactly(11, 7, 3);
        assertThat(bounded.inflated()).isEqualTo(11);
    }

    @Test
    void keepsRefusingAfterTheLimitWasPassed() {
        BoundedInflater<RuntimeException> bounded = new BoundedInflater<>(MessageKind.TEXT, 1, INVALID,
                (out, offset, length) -> length);
        byte[] out = new byte[10];
        assertThatThrownBy(() -> bounded.inflate(out, 0, 10)).isInstanceOf(MessageTooBigException.class);

        assertThatThrownBy(() -> bounded.inflate(out, 0, 10)).isInstanceOf(MessageTooBigException.class);
        assertThat(bounded.inflated()).isEqualTo(2);
    }

    @Test
    void answersInvalidDeflateDataWith1007AndItsReason() {
        Inflater inflater = new Inflater(true);
        inflater.setInput(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2});
        BoundedInflater<RuntimeException> bounded = new BoundedInflater<>(MessageKind.BINARY, 1000, INVALID,
                inflater::inflate);
        byte[] out = new byte[100];

        assertThatThrownBy(() -> bounded.inflate(out, 0, out.length))
                .isInstanceOfSatisfying(UndecodableMessageException.class, invalid -> {
                    assertThat(invalid.closeReason().getCloseCode().getCode()).isEqualTo(1007);
                    assertThat(invalid.closeReason().getReasonPhrase()).isEqualTo(INVALID);
                    assertThat(invalid.getCause()).isInstanceOf(DataFormatException.class);
                });
        assertThat(bounded.inflated()).isZero();
        inflater.end();
    }

    @Test
    void answersAStreamsZipAndEndOfFileExceptionsWith1007() {
        for (IOException streamSays : new IOException[] {new ZipException("bad"), new EOFException("cut")}) {
            BoundedInflater<IOException> bounded = new BoundedInflater<>(MessageKind.BINARY, 1000, INVALID,
                    (out, offset, length) -> {
                        throw streamSays;
                    });

            assertThatThrownBy(() -> bounded.inflate(new byte[10], 0, 10))
                    .isInstanceOfSatisfying(UndecodableMessageException.class, invalid -> {
                        assertThat(invalid.closeReason().getCloseCode().getCode()).isEqualTo(1007);
                        assertThat(invalid.closeReason().getReasonPhrase()).isEqualTo(INVALID);
                        assertThat(invalid.getCause()).isSameAs(streamSays);
                    });
        }
    }

    @Test
    void passesOtherExceptionsOfTheSourceOnAsTheyAre() {
        IOException unreadable = new IOException("socket gone");
        BoundedInflater<IOException> bounded = new BoundedInflater<>(MessageKind.BINARY, 1000, INVALID,
                (out, offset, length) -> {
                    throw unreadable;
                });

        assertThatThrownBy(() -> bounded.inflate(new byte[10], 0, 10)).isSameAs(unreadable);
    }

    @Test
    void returnsTheEndOfAStreamUncounted() throws IOException {
        InflaterInputStream stream = new InflaterInputStream(new ByteArrayInputStream(deflated(letters(10))),
                new Inflater(true));
        BoundedInflater<IOException> bounded = new BoundedInflater<>(MessageKind.TEXT, 10, INVALID, stream::read);
        byte[] out = new byte[100];

        int total = 0;
        int n;
        while ((n = bounded.inflate(out, total, out.length - total)) > 0) {
            total += n;
        }

        assertThat(n).isEqualTo(-1);
        assertThat(total).isEqualTo(10);
        assertThat(bounded.inflated()).isEqualTo(10);
    }

    @Test
    void aLimitOfLongMaxValueInflatesWithoutWrappingAround() {
        Inflater inflater = new Inflater(true);
        byte[] compressed = deflated(new byte[3000]);
        inflater.setInput(compressed);
        BoundedInflater<RuntimeException> bounded = new BoundedInflater<>(MessageKind.BINARY, Long.MAX_VALUE, INVALID,
                inflater::inflate);

        byte[] out = new byte[4096];
        int total = 0;
        for (int n = bounded.inflate(out, 0, out.length); n > 0; n = bounded.inflate(out, total, out.length - total)) {
            total += n;
        }
        inflater.end();

        assertThat(total).isEqualTo(3000);
        assertThat(bounded.inflated()).isEqualTo(3000);
    }
}
