package org.sizeguard.internal.adapter.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.codec.Inflation;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.testclient.DeflatedMessages;

class InflatingMessageTest {

    private final MemoryBudget budget = new MemoryBudget(1 << 30);

    /** Everything {@code message} yields for {@code compressed} given in pieces of {@code piece} bytes. */
    private static byte[] inflateAll(InflatingMessage message, byte[] compressed, int piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1000];
        for (int offset = 0; offset < compressed.length; offset += piece) {
            message.input(compressed, offset, Math.min(piece, compressed.length - offset));
            drain(message, buffer, out);
        }
        message.lastInput();
        drain(message, buffer, out);
        return out.toByteArray();
    }

    private static void drain(InflatingMessage message, byte[] buffer, ByteArrayOutputStream out) {
        int n;
        do {
            n = message.inflate(buffer, 0, buffer.length);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
    }

    private static byte[] letters(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    @Test
    void inflatesAMessageOfExactlyItsLimitWhateverThePiecesItArrivesIn() {
        byte[] message = letters(50_000);
        byte[] compressed = DeflatedMessages.compressed(message, 6);
        for (int piece : new int[] {1, 3, 100, compressed.length}) {
            try (InflatingMessage inflating = InflatingMessage.start(MessageKind.TEXT, 50_000, budget, 0)) {
                assertThat(inflateAll(inflating, compressed, piece)).isEqualTo(message);
                assertThat(inflating.inflated()).isEqualTo(50_000);
            }
        }
    }

    @Test
    void refusesTheLimitPlusOneByteHavingInflatedNoMore() {
        byte[] compressed = DeflatedMessages.compressed(letters(50_001), 6);

        try (InflatingMessage inflating = InflatingMessage.start(MessageKind.TEXT, 50_000, budget, 0)) {
            assertThatThrownBy(() -> inflateAll(inflating, compressed, compressed.length))
                    .isInstanceOfSatisfying(MessageTooBigException.class,
                            tooBig -> assertThat(tooBig.closeReason().getCloseCode().getCode()).isEqualTo(1009));
            assertThat(inflating.inflated()).isEqualTo(50_001);
        }
    }

    @Test
    void stopsABombAtItsLimitPlusOneByteWhateverItsRatio() {
        byte[] bomb = DeflatedMessages.compressedRun(256L << 20, (byte) 0);
        byte[] out = new byte[64 * 1024];

        try (InflatingMessage inflating = InflatingMessage.start(MessageKind.BINARY, 1 << 20, budget, 0)) {
            inflating.input(bomb, 0, bomb.length);
            assertThatThrownBy(() -> {
                while (true) {
                    inflating.inflate(out, 0, out.length);
                }
            }).isInstanceOf(MessageTooBigException.class);
            assertThat(inflating.inflated()).isEqualTo((1 << 20) + 1);
        }
    }

    @Test
    void refusesDataThatIsNotDeflateWith1007() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};

        try (InflatingMessage inflating = InflatingMessage.start(MessageKind.BINARY, 1000, budget, 0)) {
            assertThatThrownBy(() -> inflateAll(inflating, garbage, garbage.length))
                    .isInstanceOfSatisfying(UndecodableMessageException.class,
                            invalid -> assertThat(invalid.closeReason().getReasonPhrase())
                                    .isEqualTo("compressed message is not valid deflate data"));
        }
    }

    @Test
    void acceptsAMessageEndedWithAFinalBlockAndRefusesBytesAfterIt() {
        byte[] message = letters(3000);
        Deflater deflater = new Deflater(6, true);
        deflater.setInput(message);
        deflater.finish();
        byte[] finalBlock = new byte[200];
        int length = deflater.deflate(finalBlock);
        deflater.end();
        byte[] compressed = Arrays.copyOf(finalBlock, length);

        try (InflatingMessage inflating = InflatingMessage.start(MessageKind.TEXT, 10_000, budget, 0)) {
            assertThat(inflateAll(inflating, compressed, compressed.length)).isEqualTo(message);
        }
        byte[] extra = Arrays.copyOf(compressed, length + 3);
        try (InflatingMessage inflating = InflatingMessage.start(MessageKind.TEXT, 10_000, budget, 0)) {
            assertThatThrownBy(() -> inflateAll(inflating, extra, extra.length))
                    .isInstanceOf(UndecodableMessageException.class)
                    .hasMessageContaining("continues after its final deflate block");
        }
    }

    @Test
    void reservesItsInflaterAndTheCallersBuffersUntilClosedOnce() {
        InflatingMessage inflating = InflatingMessage.start(MessageKind.TEXT, 100, budget, 1000);

        assertThat(budget.reserved()).isEqualTo(Inflation.HELD_BYTES + 1000);
        inflating.close();
        inflating.close();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void startsNothingWhenTheBudgetCannotHoldTheInflater() {
        MemoryBudget small = new MemoryBudget(Inflation.HELD_BYTES - 1);

        assertThatThrownBy(() -> InflatingMessage.start(MessageKind.TEXT, 100, small, 0))
                .isInstanceOf(BudgetExhaustedException.class);
        assertThat(small.reserved()).isZero();
    }
}
