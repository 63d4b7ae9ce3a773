package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.joined;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.parse;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.codec.Inflation;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.tyrus.FrameReader.State;
import org.sizeguard.testclient.DeflatedMessages;

class CompressedInputTest {

    private static final long RESERVED = Inflation.HELD_BYTES + 2L * FrameRelay.MAX_FRAGMENT_PAYLOAD;

    private final MemoryBudget budget = new MemoryBudget(1 << 30);
    private final CompressedInput compressed = new CompressedInput(budget);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private static FrameHeader header(boolean fin, int opcode, int length) {
        int rsv = opcode == 0 ? 0 : DeflatedMessages.RSV1;
        byte[] bytes = FrameRelayTest.clientFrame(fin, opcode, new byte[length], rsv);
        return FrameHeader.parse(bytes);
    }

    private static byte[] letters(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'l');
        return bytes;
    }

    /** Passes on what the message owes until it answers a state that owes nothing. */
    private State drain(State state) {
        while (state.owesOutput()) {
            state = compressed.passOwed(state, true, out);
        }
        return state;
    }

    @Test
    void startsAMessageOnItsFirstFrameReservingItsInflaterAndGoesOnWithItOnAContinuation() {
        assertThat(compressed.inProgress()).isFalse();

        assertThat(compressed.frameStarts(header(false, 1, 10), MessageKind.TEXT, 1000)).isEqualTo(State.INFLATE);

        assertThat(compressed.inProgress()).isTrue();
        assertThat(budget.reserved()).isEqualTo(RESERVED);
        assertThat(compressed.frameStarts(header(true, 0, 10), MessageKind.TEXT, 1000)).isEqualTo(State.INFLATE);
        assertThat(budget.reserved()).as("a continuation reserves nothing more").isEqualTo(RESERVED);
    }

    @Test
    void answersAFrameWithoutPayloadWithTheFrameEndState() {
        assertThat(compressed.frameStarts(header(true, 2, 0), MessageKind.BINARY, 1000))
                .isEqualTo(State.INFLATE_FRAME_END);
    }

    @Test
    void refusesTheFirstFrameWith1013WhenTheBudgetCannotHoldItAndHasNothingInProgress() {
        MemoryBudget small = new MemoryBudget(Inflation.HELD_BYTES);
        CompressedInput starved = new CompressedInput(small);

        assertThatThrownBy(() -> starved.frameStarts(header(true, 1, 10), MessageKind.TEXT, 1000))
                .isInstanceOfSatisfying(BudgetExhaustedException.class,
                        spent -> assertThat(spent.closeReason().getCloseCode().getCode()).isEqualTo(1013));
        assertThat(starved.inProgress()).isFalse();
        assertThat(small.reserved()).isZero();
    }

    @Test
    void endsTheMessageAndFreesItsReservationOnceItsLastFragmentIsPassedOn() {
        byte[] message = letters(800);
        compressed.frameStarts(header(true, 1, 10), MessageKind.TEXT, 1000);

        State state = drain(compressed.input(DeflatedMessages.compressed(message, 6), true, out));

        assertThat(state).isEqualTo(State.HEADER);
        assertThat(compressed.inProgress()).isFalse();
        assertThat(budget.reserved()).isZero();
        assertThat(joined(parse(out.toByteArray()))).isEqualTo(message);
    }

    @Test
    void keepsTheMessageWhileItsFrameEndsWithoutItsLastFragment() {
        compressed.frameStarts(header(true, 1, 10), MessageKind.TEXT, 1000);

        State state = compressed.input(DeflatedMessages.compressed(letters(800), 6), true, out);

        assertThat(state).isEqualTo(State.INFLATE_FRAME_END);
        assertThat(compressed.inProgress()).isTrue();
        assertThat(budget.reserved()).isEqualTo(RESERVED);
    }

    @Test
    void endsTheMessageBeforeItThrowsTheRefusalOfItsInput() {
        compressed.frameStarts(header(true, 1, 10), MessageKind.TEXT, 1000);
        byte[] tooBig = DeflatedMessages.compressed(letters(1001), 6);

        assertThatThrownBy(() -> drain(compressed.input(tooBig, true, out)))
                .isInstanceOfSatisfying(MessageTooBigException.class,
                        refused -> assertThat(refused.closeReason().getCloseCode().getCode()).isEqualTo(1009));
        assertThat(compressed.inProgress()).isFalse();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void endsTheMessageBeforeItThrowsARefusalOfWhatItOwes() {
        compressed.frameStarts(header(true, 2, 10), MessageKind.BINARY, 1 << 16);
        byte[] bomb = DeflatedMessages.compressedRun(1 << 20, (byte) 0);
        State owed = compressed.input(bomb, true, out);
        assertThat(owed).isEqualTo(State.INFLATE_BACKLOG);

        assertThatThrownBy(() -> drain(owed)).isInstanceOf(MessageTooBigException.class);
        assertThat(compressed.inProgress()).isFalse();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void endsAMessageInProgressOnceAndEndingAgainIsHarmless() {
        compressed.frameStarts(header(false, 1, 10), MessageKind.TEXT, 1000);

        compressed.end();
        compressed.end();

        assertThat(compressed.inProgress()).isFalse();
        assertThat(budget.reserved()).isZero();
    }
}
