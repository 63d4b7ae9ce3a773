package org.sizeguard.internal.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;

class FrameRelayTest {

    private static final MessageSizePolicy POLICY = new MessageSizePolicy("test", 100_000, 200_000);

    private final List<MessageTooBigException> rejections = new ArrayList<>();
    private final List<MessageKind> started = new ArrayList<>();
    private final FrameRelay relay = new FrameRelay();
    private final FrameRelay.Listener listener = new FrameRelay.Listener() {
        @Override
        public void messageStarted(MessageKind kind) {
            started.add(kind);
        }

        @Override
        public void tooBig(MessageTooBigException tooBig) {
            rejections.add(tooBig);
        }
    };

    /** A masked client frame, as RFC 6455 §5.2 lays it out. */
    static byte[] clientFrame(boolean fin, int opcode, byte[] payload, int rsv) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
        frame.put((byte) ((fin ? 0x80 : 0) | rsv << 4 | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = {(byte) 0xA1, 0x22, (byte) 0xB3, 0x44};
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return Arrays.copyOf(frame.array(), frame.position());
    }

    static byte[] clientFrame(boolean fin, int opcode, byte[] payload) {
        return clientFrame(fin, opcode, payload, 0);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private byte[] relay(byte[] input, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < input.length; offset += chunk) {
            relay.accept(input, offset, Math.min(chunk, input.length - offset), out);
        }
        return out.toByteArray();
    }

    /** A parsed server-side view of the relayed stream. */
    record Frame(boolean fin, int opcode, byte[] payload) {
    }

    static List<Frame> parse(byte[] stream) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(stream);
        while (in.hasRemaining()) {
            int b0 = in.get() & 0xFF;
            int b1 = in.get() & 0xFF;
            assertThat(b1 & 0x80).as("relayed frames are masked").isNotZero();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.getShort() & 0xFFFF;
            } else if (length == 127) {
                length = in.getLong();
            }
            byte[] mask = new byte[4];
            in.get(mask);
            byte[] payload = new byte[(int) length];
            in.get(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            frames.add(new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload));
        }
        return frames;
    }

    static byte[] joined(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.stream().filter(f -> f.opcode() < 8).forEach(f -> out.writeBytes(f.payload()));
        return out.toByteArray();
    }

    private static byte[] bytes(int length, char fill) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    @ParameterizedTest(name = "read in chunks of {0} bytes")
    @ValueSource(ints = {1, 7, 1000, 16_384, 1 << 20})
    void passesMessagesWithinTheLimitOnIntactWhateverTheReadSize(int chunk) {
        relay.attach(POLICY::limit, listener);
        byte[] text = "héllo €".getBytes(StandardCharsets.UTF_8);
        byte[] big = bytes(150_000, 'b');

        List<Frame> frames = parse(relay(concat(clientFrame(true, 1, text), clientFrame(true, 2, big)), chunk));

        assertThat(frames.get(0)).satisfies(f -> {
            assertThat(f.fin()).isTrue();
            assertThat(f.opcode()).isEqualTo(1);
            assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("héllo €");
        });
        List<Frame> binary = frames.subList(1, frames.size());
        assertThat(binary.get(0).opcode()).isEqualTo(2);
        assertThat(binary.subList(1, binary.size())).allSatisfy(f -> assertThat(f.opcode()).isZero());
        assertThat(binary).allSatisfy(f -> assertThat(f.payload().length).isLessThanOrEqualTo(65_536));
        assertThat(binary.get(binary.size() - 1).fin()).isTrue();
        assertThat(binary.subList(0, binary.size() - 1)).allSatisfy(f -> assertThat(f.fin()).isFalse());
        assertThat(joined(binary)).isEqualTo(big);
        assertThat(rejections).isEmpty();
    }

    @Test
    void rejectsAFrameFromItsHeaderBeforeAnyPayloadIsPassedOn() {
        relay.attach(POLICY::limit, listener);
        byte[] header = Arrays.copyOf(clientFrame(true, 1, bytes(100_001, 'x')), 14);

        byte[] out = relay(header, 14);

        assertThat(out).isEmpty();
        assertThat(rejections).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(MessageKind.TEXT);
            assertThat(e.limit()).isEqualTo(100_000);
            assertThat(e.observedBytes()).isEqualTo(100_001);
        });
        assertThat(relay.rejected()).isTrue();
    }

    @Test
    void rejectsAHeaderDeclaringTwoGibibytesWithoutWaitingForThePayload() {
        relay.attach(POLICY::limit, listener);
        ByteBuffer header = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(2L << 30)
                .put(new byte[] {1, 2, 3, 4});

        assertThat(relay(header.array(), 14)).isEmpty();
        assertThat(rejections).singleElement().extracting(MessageTooBigException::observedBytes)
                .isEqualTo(2L << 30);
    }

    @Test
    void rejectsTheContinuationFrameThatTakesAFragmentedMessageOverTheLimit() {
        relay.attach(POLICY::limit, listener);
        byte[] first = clientFrame(false, 1, bytes(60_000, 'a'));
        byte[] second = clientFrame(false, 0, bytes(40_000, 'a'));
        byte[] third = clientFrame(true, 0, bytes(1, 'a'));

        List<Frame> frames = parse(relay(concat(first, second, third), 4096));

        assertThat(joined(frames)).hasSize(100_000);
        assertThat(rejections).singleElement().extracting(MessageTooBigException::observedBytes).isEqualTo(100_001L);
    }

    @Test
    void dropsLaterDataFramesButPassesTheClientsCloseReply() {
        relay.attach(POLICY::limit, listener);
        byte[] close = clientFrame(true, 8, new byte[] {0x03, (byte) 0xF1});

        List<Frame> frames = parse(relay(concat(clientFrame(true, 2, bytes(200_001, 'z')),
                clientFrame(true, 1, "late".getBytes(StandardCharsets.UTF_8)), close), 10_000));

        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.payload()).containsExactly(0x03, 0xF1);
        });
        assertThat(rejections).hasSize(1);
    }

    @Test
    void knowsWhenTheClientsCloseFrameHasPassed() {
        relay.attach(POLICY::limit, listener);
        byte[] close = clientFrame(true, 8, new byte[] {0x03, (byte) 0xE8});

        relay(clientFrame(true, 2, bytes(200_001, 'z')), 50_000);
        assertThat(relay.clientClosed()).isFalse();

        relay(Arrays.copyOf(close, close.length - 1), 100);
        assertThat(relay.clientClosed()).isFalse();
        relay(Arrays.copyOfRange(close, close.length - 1, close.length), 100);
        assertThat(relay.clientClosed()).isTrue();
    }

    @Test
    void passesPingsBetweenFragments() {
        relay.attach(POLICY::limit, listener);

        List<Frame> frames = parse(relay(concat(clientFrame(false, 1, bytes(10, 'p')),
                clientFrame(true, 9, "ping".getBytes(StandardCharsets.UTF_8)), clientFrame(true, 0, bytes(5, 'q'))), 3));

        assertThat(frames).extracting(Frame::opcode).containsExactly(1, 9, 0);
        assertThat(frames).extracting(Frame::fin).containsExactly(false, true, true);
    }

    @Test
    void reportsOnceAMessageThatSpansReadsAndNotOneThatArrivesWithinARead() {
        relay.attach(POLICY::limit, listener);

        relay(clientFrame(true, 1, bytes(100, 'w')), 1 << 20);
        assertThat(started).isEmpty();

        relay(concat(clientFrame(false, 2, bytes(5000, 'p')), clientFrame(true, 0, bytes(5000, 'p'))), 1000);
        assertThat(started).containsExactly(MessageKind.BINARY);
    }

    @Test
    void keepsAnEmptyMessage() {
        relay.attach(POLICY::limit, listener);

        assertThat(parse(relay(clientFrame(true, 1, new byte[0]), 1)))
                .singleElement().satisfies(f -> assertThat(f.payload()).isEmpty());
    }

    @Test
    void passesEverythingThroughUnchangedOnceAnExtensionBitIsSet() {
        relay.attach(POLICY::limit, listener);
        byte[] compressed = clientFrame(true, 1, bytes(300_000, 'c'), 4);
        byte[] next = clientFrame(true, 1, bytes(10, 'n'));

        assertThat(relay(concat(compressed, next), 999)).isEqualTo(concat(compressed, next));
        assertThat(rejections).isEmpty();
    }

    @Test
    void passesFramesOnButChecksNothingUntilAPolicyIsAttached() {
        List<Frame> frames = parse(relay(clientFrame(true, 2, bytes(300_000, 'u')), 50_000));

        assertThat(joined(frames)).hasSize(300_000);
        assertThat(rejections).isEmpty();
    }
}
