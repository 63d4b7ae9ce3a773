package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.clientFrame;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.concat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.joined;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.tyrus.FrameReader.State;
import org.sizeguard.testclient.DeflatedMessages;

class FrameReaderTest {

    private static final int RSV1 = DeflatedMessages.RSV1;

    private final MemoryBudget budget = new MemoryBudget(1 << 30);
    private long limit = 1000;
    private boolean inflates = true;
    private final FrameReader reader = new FrameReader(true, budget, new FrameReader.Guard() {
        @Override
        public long limit(MessageKind kind) {
            return limit;
        }

        @Override
        public boolean inflates() {
            return inflates;
        }
    });
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Reads all of {@code bytes} as one read, draining what the reader owes as the relay does. */
    private void readAll(byte[] bytes) {
        int position = reader.read(bytes, 0, bytes.length, out);
        while (position < bytes.length || reader.owesOutput()) {
            position = reader.read(bytes, position, bytes.length, out);
        }
    }

    private static byte[] letters(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'l');
        return bytes;
    }

    @Test
    void startsAtAHeaderAndReturnsToOneAfterEachFrame() {
        assertThat(reader.state()).isEqualTo(State.HEADER);

        readAll(clientFrame(true, 1, "hi".getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.state()).isEqualTo(State.HEADER);
        assertThat(joined(parse(out.toByteArray()))).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.refusal()).isNull();
    }

    @Test
    void passesADataFrameOnAsItArrivesInTheDataState() {
        byte[] frame = clientFrame(true, 2, letters(500));

        int position = reader.read(frame, 0, 100, out);

        assertThat(position).isEqualTo(100);
        assertThat(reader.state()).isEqualTo(State.DATA);
        assertThat(joined(parse(out.toByteArray()))).hasSize(100 - 8);
    }

    @Test
    void collectsAControlFrameInTheControlState() {
        byte[] ping = clientFrame(true, 9, letters(50));

        reader.read(ping, 0, 20, out);

        assertThat(reader.state()).isEqualTo(State.CONTROL);
        assertThat(out.size()).isZero();
        reader.read(ping, 20, ping.length, out);
        assertThat(reader.state()).isEqualTo(State.HEADER);
        assertThat(parse(out.toByteArray())).singleElement().satisfies(f -> assertThat(f.opcode()).isEqualTo(9));
    }

    @Test
    void refusesAMessageOverItsLimitFromItsHeaderWith1009AndSkipsItsPayloadPassingNothing() {
        byte[] frame = clientFrame(true, 1, letters(1001));

        reader.read(frame, 0, 500, out);

        assertThat(reader.state()).isEqualTo(State.SKIP);
        assertThat(reader.refusal().closeReason().getCloseCode().getCode()).isEqualTo(1009);
        assertThat(reader.refusal().closeReason().getReasonPhrase()).isEqualTo("text message exceeds 1000 bytes");
        reader.read(frame, 500, frame.length, out);
        assertThat(reader.state()).isEqualTo(State.HEADER);
        assertThat(out.size()).isZero();
    }

    @Test
    void breaksOnAFramingViolationWith1002AndReadsNothingAfterIt() {
        byte[] stream = concat(new byte[] {(byte) 0x81, 0x01, 'x'}, clientFrame(true, 1, letters(3)));

        int position = reader.read(stream, 0, stream.length, out);

        assertThat(position).isEqualTo(stream.length);
        assertThat(reader.state()).isEqualTo(State.BROKEN);
        assertThat(reader.refusal().closeReason().getCloseCode().getCode()).isEqualTo(1002);
        assertThat(reader.refusal().closeReason().getReasonPhrase())
                .isEqualTo("client frame is not masked (RFC 6455 5.1)");
        assertThat(out.size()).isZero();
    }

    @Test
    void leavesTheStreamToTheContainerAfterAViolationOnAnUnguardedConnection() {
        reader.unguarded();
        byte[] unmasked = {(byte) 0x81, 0x01, 'x'};

        reader.read(unmasked, 0, unmasked.length, out);

        assertThat(reader.state()).isEqualTo(State.TRANSPARENT);
        assertThat(out.toByteArray()).isEqualTo(unmasked);
        assertThat(reader.refusal()).isNull();
        assertThat(reader.clientClosed()).isTrue();
    }

    @Test
    void inflatesACompressedFrameThroughTheInflationStatesBackToAHeader() {
        byte[] message = letters(800);
        byte[] frame = clientFrame(true, 1, DeflatedMessages.compressed(message, 6), RSV1);

        int position = reader.read(frame, 0, 7, out);
        assertThat(reader.state()).isEqualTo(State.INFLATE);
        assertThat(reader.owesOutput()).isFalse();
        assertThat(budget.reserved()).isPositive();

        reader.read(frame, position, frame.length, out);

        assertThat(reader.state()).isEqualTo(State.HEADER);
        assertThat(joined(parse(out.toByteArray()))).isEqualTo(message);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void waitsAtTheEndOfACompressedFrameThatIsNotTheMessagesLastForItsContinuation() {
        byte[] compressed = DeflatedMessages.compressed(letters(800), 6);
        byte[] first = clientFrame(false, 2, Arrays.copyOf(compressed, 4), RSV1);

        reader.read(first, 0, first.length, out);

        assertThat(reader.state()).isEqualTo(State.HEADER);
        assertThat(reader.owesOutput()).isFalse();
        assertThat(budget.reserved()).as("the inflater is kept for the continuation").isPositive();
        readAll(clientFrame(true, 0, Arrays.copyOfRange(compressed, 4, compressed.length)));
        assertThat(joined(parse(out.toByteArray()))).isEqualTo(letters(800));
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void pausesAfterEachFullFragmentOfABombAndOwesTheRest() {
        limit = 1 << 20;
        byte[] frame = clientFrame(true, 2, DeflatedMessages.compressedRun(1 << 19, (byte) 0), RSV1);

        int position = reader.read(frame, 0, frame.length, out);

        assertThat(reader.state()).isEqualTo(State.INFLATE_BACKLOG);
        assertThat(reader.paused()).isTrue();
        assertThat(reader.owesOutput()).isTrue();
        assertThat(joined(parse(out.toByteArray()))).hasSize(CompressedMessage.FIRST_PIECE);
        while (position < frame.length || reader.owesOutput()) {
            position = reader.read(frame, position, frame.length, out);
        }
        assertThat(reader.state()).isEqualTo(State.HEADER);
        assertThat(joined(parse(out.toByteArray()))).hasSize(1 << 19);
    }

    @Test
    void refusesACompressedMessageThatInflatesOverItsLimitWith1009AndPassesNothingBeyondIt() {
        byte[] frame = clientFrame(true, 1, DeflatedMessages.compressed(letters(1001), 6), RSV1);

        readAll(frame);

        assertThat(reader.refusal().closeReason().getCloseCode().getCode()).isEqualTo(1009);
        assertThat(reader.refusal().closeReason().getReasonPhrase()).isEqualTo("text message exceeds 1000 bytes");
        assertThat(out.size()).isZero();
        assertThat(reader.state()).isEqualTo(State.HEADER);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void refusesACompressedMessageWith1013WhenTheBudgetCannotHoldItsInflaterAndSkipsItsPayload() {
        MemoryBudget small = new MemoryBudget(org.sizeguard.codec.Inflation.HELD_BYTES);
        FrameReader starved = new FrameReader(true, small, new FrameReader.Guard() {
            @Override
            public long limit(MessageKind kind) {
                return 1000;
            }

            @Override
            public boolean inflates() {
                return true;
            }
        });
        byte[] frame = clientFrame(true, 1, DeflatedMessages.compressed(letters(800), 6), RSV1);

        starved.read(frame, 0, 10, out);

        assertThat(starved.state()).isEqualTo(State.SKIP);
        assertThat(starved.refusal().closeReason().getCloseCode().getCode()).isEqualTo(1013);
        assertThat(small.reserved()).isZero();
        starved.read(frame, 10, frame.length, out);
        assertThat(starved.state()).isEqualTo(State.HEADER);
        assertThat(out.size()).isZero();
    }

    @Test
    void passesACompressedFrameOnAsItIsWhileNothingInflates() {
        inflates = false;
        byte[] compressed = DeflatedMessages.compressed(letters(100), 6);

        readAll(clientFrame(true, 1, compressed, RSV1));

        assertThat(out.toByteArray()[0] & 0x70).isEqualTo(0x40);
        assertThat(joined(parse(out.toByteArray()))).isEqualTo(compressed);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void freesTheInflaterAndReadsNoMoreFramesWhenTheConnectionEnds() {
        byte[] frame = clientFrame(true, 1, DeflatedMessages.compressed(letters(800), 6), RSV1);
        reader.read(frame, 0, 10, out);

        reader.connectionEnded();

        assertThat(reader.state()).isEqualTo(State.BROKEN);
        assertThat(budget.reserved()).isZero();
        int before = out.size();
        reader.read(frame, 10, frame.length, out);
        assertThat(out.size()).isEqualTo(before);
    }

    @Test
    void reportsAMessageOpenAfterAReadOnceAndNotOneRefused() {
        byte[] frame = clientFrame(false, 2, letters(10));
        reader.read(frame, 0, frame.length, out);

        assertThat(reader.reportStart()).isEqualTo(MessageKind.BINARY);
        assertThat(reader.reportStart()).isNull();

        byte[] tooBig = clientFrame(true, 0, letters(991));
        reader.read(tooBig, 0, 8, out);
        assertThat(reader.refusal()).isNotNull();
        assertThat(reader.reportStart()).isNull();
    }
}
