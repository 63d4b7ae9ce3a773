package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.joined;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.parse;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.codec.Inflation;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.tyrus.FrameReader.State;
import org.sizeguard.internal.adapter.tyrus.FrameRelayTest.Frame;
import org.sizeguard.testclient.DeflatedMessages;

class CompressedMessageTest {

    private final MemoryBudget budget = new MemoryBudget(1 << 30);

    private static byte[] text(int length) {
        byte[] bytes = new byte[length];
        Random random = new Random(length);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(4));
        }
        return bytes;
    }

    @Test
    void inflatesASmallMessageIntoOneFinalFragmentWithItsOpcode() {
        byte[] message = text(1000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CompressedMessage compressed = CompressedMessage.start(MessageKind.TEXT, 10_000, budget, 1)) {
            assertThat(compressed.input(DeflatedMessages.compressed(message, 6), true, out))
                    .isEqualTo(State.INFLATE_FRAME_END);
            assertThat(compressed.passOwed(State.INFLATE_FRAME_END, true, out)).isEqualTo(State.HEADER);
        }

        List<Frame> fragments = parse(out.toByteArray());
        assertThat(joined(fragments)).isEqualTo(message);
        assertThat(fragments.get(0).opcode()).isEqualTo(1);
        assertThat(fragments.get(fragments.size() - 1).fin()).isTrue();
    }

    @Test
    void waitsForMoreInputWhenTheFrameGoesOn() {
        byte[] compressed = DeflatedMessages.compressed(text(1000), 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CompressedMessage message = CompressedMessage.start(MessageKind.BINARY, 10_000, budget, 2)) {
            assertThat(message.input(java.util.Arrays.copyOf(compressed, 5), false, out)).isEqualTo(State.INFLATE);
        }
    }

    @Test
    void passesABacklogOnePieceAtATimeInPiecesThatDoubleUpToAFragment() {
        byte[] bomb = DeflatedMessages.compressedRun(1 << 20, (byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CompressedMessage message = CompressedMessage.start(MessageKind.BINARY, 1 << 21, budget, 2)) {
            State state = message.input(bomb, true, out);
            int calls = 1;
            while (state == State.INFLATE_BACKLOG || state == State.INFLATE_FRAME_END
                    || state == State.INFLATE_TAIL_BACKLOG) {
                state = message.passOwed(state, true, out);
                calls++;
            }
            assertThat(state).isEqualTo(State.HEADER);
            assertThat(calls).isGreaterThan(16);
        }

        List<Frame> fragments = parse(out.toByteArray());
        assertThat(fragments).extracting(f -> f.payload().length).startsWith(CompressedMessage.FIRST_PIECE,
                2 * CompressedMessage.FIRST_PIECE, 4 * CompressedMessage.FIRST_PIECE, FrameRelay.MAX_FRAGMENT_PAYLOAD);
        assertThat(fragments).allSatisfy(f -> assertThat(f.payload().length)
                .isLessThanOrEqualTo(FrameRelay.MAX_FRAGMENT_PAYLOAD));
        assertThat(joined(fragments)).hasSize(1 << 20);
    }

    @Test
    void refusesTheLimitPlusOneByteWith1009AndPassesNothingOfThatPiece() {
        byte[] compressed = DeflatedMessages.compressed(text(5001), 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CompressedMessage message = CompressedMessage.start(MessageKind.TEXT, 5000, budget, 1)) {
            assertThatThrownBy(() -> message.input(compressed, true, out))
                    .isInstanceOfSatisfying(MessageTooBigException.class, tooBig -> {
                        assertThat(tooBig.closeReason().getCloseCode().getCode()).isEqualTo(1009);
                        assertThat(tooBig.closeReason().getReasonPhrase()).isEqualTo("text message exceeds 5000 bytes");
                    });
        }
        assertThat(out.size()).isZero();
    }

    @Test
    void refusesDataThatIsNotDeflateWith1007AndPassesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CompressedMessage message = CompressedMessage.start(MessageKind.BINARY, 5000, budget, 2)) {
            assertThatThrownBy(() -> message.input(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1}, true, out))
                    .isInstanceOfSatisfying(UndecodableMessageException.class, invalid -> {
                        assertThat(invalid.closeReason().getCloseCode().getCode()).isEqualTo(1007);
                        assertThat(invalid.closeReason().getReasonPhrase())
                                .isEqualTo("compressed message is not valid deflate data");
                    });
        }
        assertThat(out.size()).isZero();
    }

    @Test
    void reservesItsInflaterAndTwoFragmentsUntilClosed() {
        CompressedMessage message = CompressedMessage.start(MessageKind.TEXT, 100, budget, 1);

        assertThat(budget.reserved()).isEqualTo(Inflation.HELD_BYTES + 2L * FrameRelay.MAX_FRAGMENT_PAYLOAD);
        message.close();
        message.close();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void startsNothingWhenTheBudgetCannotHoldIt() {
        MemoryBudget small = new MemoryBudget(Inflation.HELD_BYTES);

        assertThatThrownBy(() -> CompressedMessage.start(MessageKind.TEXT, 100, small, 1))
                .isInstanceOfSatisfying(BudgetExhaustedException.class,
                        spent -> assertThat(spent.closeReason().getCloseCode().getCode()).isEqualTo(1013));
        assertThat(small.reserved()).isZero();
    }
}
