package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.clientFrame;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.parse;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.sizeguard.internal.adapter.tyrus.FrameRelayTest.Frame;

class FragmentWriterTest {

    private static final int HEADER = 14; // a masked frame with a 64-bit length

    private static byte[] payload(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void unmasksAnyLengthFromAnyOffsetAsTheRfcsBytewiseRuleDoes() {
        Random random = new Random(11);
        for (int length = 0; length < 40; length++) {
            for (int offset = 0; offset < 9; offset++) {
                byte[] bytes = new byte[offset + length + 3];
                random.nextBytes(bytes);
                int key = random.nextInt();

                byte[] plain = FragmentWriter.unmasked(bytes, offset, length, key);

                for (int i = 0; i < length; i++) {
                    assertThat(plain[i]).isEqualTo((byte) (bytes[offset + i] ^ (key >>> (24 - 8 * (i % 4)))));
                }
                assertThat(plain).hasSize(length);
            }
        }
    }

    @Test
    void writesAFrameReadInPiecesAsFragmentsOfWhatEachPieceHoldsWithTheOpcodeOnlyOnTheFirst() {
        byte[] plain = payload(70_000);
        byte[] frame = clientFrame(true, 2, plain, 0);
        FrameHeader header = FrameHeader.parse(frame);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long offset = 0;
        int position = HEADER;
        for (int piece : new int[] {1, 5, 30_000, 39_994}) {
            int taken = FragmentWriter.writeNext(header, offset, frame, position, position + piece, out);
            assertThat(taken).isEqualTo(piece);
            offset += taken;
            position += taken;
        }

        List<Frame> fragments = parse(out.toByteArray());
        assertThat(fragments).extracting(f -> f.payload().length).containsExactly(1, 5, 30_000, 39_994);
        assertThat(fragments).extracting(Frame::opcode).containsExactly(2, 0, 0, 0);
        assertThat(fragments).extracting(Frame::fin).containsExactly(false, false, false, true);
        assertThat(FrameRelayTest.joined(fragments)).isEqualTo(plain);
    }

    @Test
    void takesNoMoreThanOneFragmentsPayloadAtATime() {
        byte[] plain = payload(200_000);
        byte[] frame = clientFrame(false, 1, plain, 0);
        FrameHeader header = FrameHeader.parse(frame);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int taken = FragmentWriter.writeNext(header, 0, frame, HEADER, frame.length, out);

        assertThat(taken).isEqualTo(FrameRelay.MAX_FRAGMENT_PAYLOAD);
        assertThat(parse(out.toByteArray())).singleElement().satisfies(f -> {
            assertThat(f.fin()).isFalse();
            assertThat(f.payload()).isEqualTo(Arrays.copyOf(plain, FrameRelay.MAX_FRAGMENT_PAYLOAD));
        });
    }

    @Test
    void keepsTheReservedBitsOfAFramesFirstFragmentOnly() {
        byte[] compressed = payload(100);
        byte[] frame = clientFrame(true, 1, compressed, 4);
        FrameHeader header = FrameHeader.parse(frame);
        int headerLength = frame.length - compressed.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        FragmentWriter.writeNext(header, 0, frame, headerLength, headerLength + 60, out);
        int second = out.size();
        FragmentWriter.writeNext(header, 60, frame, headerLength + 60, frame.length, out);

        byte[] written = out.toByteArray();
        assertThat(written[0] & 0x70).isEqualTo(0x40);
        assertThat(written[second] & 0x70).isZero();
    }

    @Test
    void unmasksAPayloadFromWhereverInTheFrameItStarts() {
        byte[] plain = payload(50);
        byte[] frame = clientFrame(true, 2, plain, 0);
        FrameHeader header = FrameHeader.parse(frame);
        int headerLength = frame.length - plain.length;

        byte[] middle = FragmentWriter.unmaskedPayload(header, 7, frame, headerLength + 7, 20);

        assertThat(middle).isEqualTo(Arrays.copyOfRange(plain, 7, 27));
    }
}
