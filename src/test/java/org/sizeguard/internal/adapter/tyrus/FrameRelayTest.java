package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.ProtocolViolationException;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.SessionLimits;

class FrameRelayTest {

    private static final MessageSizePolicy POLICY = new MessageSizePolicy("test", 100_000, 200_000);
    private static final SessionLimits LIMITS = new SessionLimits(POLICY.maxTextBytes(), POLICY.maxBinaryBytes());

    private final List<MessageTooBigException> rejections = new ArrayList<>();
    private final List<ProtocolViolationException> violations = new ArrayList<>();
    private final List<MessageKind> started = new ArrayList<>();
    private final FrameRelay relay = new FrameRelay();
    private final ConnectionListener listener = new ConnectionListener() {
        @Override
        public void messageStarted(MessageKind kind) {
            started.add(kind);
        }

        @Override
        public void refused(SizeguardCloseException refusal) {
            if (refusal instanceof MessageTooBigException tooBig) {
                rejections.add(tooBig);
            } else {
                violations.add((ProtocolViolationException) refusal);
            }
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

    /** The payload length a relayed header declares from its second byte {@code b1} on, reading what follows. */
    static long payloadLength(int b1, ByteBuffer in) {
        long length = b1 & 0x7F;
        if (length == 126) {
            return in.getShort() & 0xFFFF;
        }
        return length == 127 ? in.getLong() : length;
    }

    static List<Frame> parse(byte[] stream) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(stream);
        while (in.hasRemaining()) {
            int b0 = in.get() & 0xFF;
            int b1 = in.get() & 0xFF;
            assertThat(b1 & 0x80).as("relayed frames are unmasked (the relay has checked the client's mask)").isZero();
            long length = payloadLength(b1, in);
            byte[] payload = new byte[(int) length];
            in.get(payload);
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
        relay.attach(LIMITS, listener);
        byte[] text = "héllo €".getBytes(StandardCharsets.UTF_8);
        byte[] big = bytes(150_000, 'b');

        List<Frame> frames = parse(relay(concat(clientFrame(true, 1, text), clientFrame(true, 2, big)), chunk));

        List<List<Frame>> messages = messages(frames);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get(0).opcode()).isEqualTo(1);
        assertThat(new String(joined(messages.get(0)), StandardCharsets.UTF_8)).isEqualTo("héllo €");
        List<Frame> binary = messages.get(1);
        assertThat(binary.get(0).opcode()).isEqualTo(2);
        assertThat(binary.subList(1, binary.size())).allSatisfy(f -> assertThat(f.opcode()).isZero());
        assertThat(binary).allSatisfy(f -> assertThat(f.payload().length).isLessThanOrEqualTo(65_536));
        assertThat(joined(binary)).isEqualTo(big);
        assertThat(rejections).isEmpty();
    }

    /** Data frames grouped into messages: each list ends with a frame whose FIN bit is set. */
    static List<List<Frame>> messages(List<Frame> frames) {
        List<List<Frame>> messages = new ArrayList<>();
        List<Frame> current = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame.opcode() >= 8) {
                continue;
            }
            current.add(frame);
            if (frame.fin()) {
                messages.add(current);
                current = new ArrayList<>();
            }
        }
        assertThat(current).as("frames after the last FIN").isEmpty();
        return messages;
    }

    @Test
    void unmasksAnyLengthFromAnyOffsetAsTheRfcsBytewiseRuleDoes() {
        java.util.Random random = new java.util.Random(7);
        for (int length = 0; length < 40; length++) {
            for (int offset = 0; offset < 9; offset++) {
                byte[] bytes = new byte[offset + length + 3];
                random.nextBytes(bytes);
                int key = random.nextInt();

                byte[] plain = FrameRelay.unmasked(bytes, offset, length, key);

                byte[] expected = new byte[length];
                for (int i = 0; i < length; i++) {
                    expected[i] = (byte) (bytes[offset + i] ^ (key >>> (24 - 8 * (i % 4))));
                }
                assertThat(plain).as("length %d from offset %d", length, offset).isEqualTo(expected);
            }
        }
    }

    @Test
    void rejectsAFrameFromItsHeaderBeforeAnyPayloadIsPassedOn() {
        relay.attach(LIMITS, listener);
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
        relay.attach(LIMITS, listener);
        ByteBuffer header = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(2L << 30)
                .put(new byte[] {1, 2, 3, 4});

        assertThat(relay(header.array(), 14)).isEmpty();
        assertThat(rejections).singleElement().extracting(MessageTooBigException::observedBytes)
                .isEqualTo(2L << 30);
    }

    @Test
    void rejectsAContinuationWhoseDeclaredLengthWouldWrapTheMessagesTotalAround() {
        relay.attach(LIMITS, listener);
        ByteBuffer huge = ByteBuffer.allocate(14).put((byte) 0x00).put((byte) (0x80 | 127)).putLong(Long.MAX_VALUE)
                .put(new byte[] {1, 2, 3, 4});

        byte[] out = relay(concat(clientFrame(false, 1, bytes(11, 'w')), huge.array(), bytes(64, 'x')), 3);

        assertThat(rejections).singleElement().satisfies(tooBig -> assertThat(tooBig.getMessage())
                .isEqualTo("text message exceeds 100000 bytes"));
        assertThat(joined(parse(out))).hasSize(11);
    }

    @Test
    void rejectsTheContinuationFrameThatTakesAFragmentedMessageOverTheLimit() {
        relay.attach(LIMITS, listener);
        byte[] first = clientFrame(false, 1, bytes(60_000, 'a'));
        byte[] second = clientFrame(false, 0, bytes(40_000, 'a'));
        byte[] third = clientFrame(true, 0, bytes(1, 'a'));

        List<Frame> frames = parse(relay(concat(first, second, third), 4096));

        assertThat(joined(frames)).hasSize(100_000);
        assertThat(rejections).singleElement().extracting(MessageTooBigException::observedBytes).isEqualTo(100_001L);
    }

    @Test
    void dropsLaterDataFramesButPassesTheClientsCloseReply() {
        relay.attach(LIMITS, listener);
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
        relay.attach(LIMITS, listener);
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
        relay.attach(LIMITS, listener);

        List<Frame> frames = parse(relay(concat(clientFrame(false, 1, bytes(10, 'p')),
                clientFrame(true, 9, "ping".getBytes(StandardCharsets.UTF_8)), clientFrame(true, 0, bytes(5, 'q'))), 3));

        int ping = frames.indexOf(frames.stream().filter(f -> f.opcode() == 9).findFirst().orElseThrow());
        assertThat(new String(frames.get(ping).payload(), StandardCharsets.UTF_8)).isEqualTo("ping");
        assertThat(joined(frames.subList(0, ping))).isEqualTo(bytes(10, 'p'));
        assertThat(joined(frames.subList(ping + 1, frames.size()))).isEqualTo(bytes(5, 'q'));
        assertThat(messages(frames)).singleElement().satisfies(message -> assertThat(message.get(0).opcode())
                .isEqualTo(1));
    }

    @Test
    void reportsOnceAMessageThatSpansReadsAndNotOneThatArrivesWithinARead() {
        relay.attach(LIMITS, listener);

        relay(clientFrame(true, 1, bytes(100, 'w')), 1 << 20);
        assertThat(started).isEmpty();

        relay(concat(clientFrame(false, 2, bytes(5000, 'p')), clientFrame(true, 0, bytes(5000, 'p'))), 1000);
        assertThat(started).containsExactly(MessageKind.BINARY);
    }

    @Test
    void keepsAnEmptyMessage() {
        relay.attach(LIMITS, listener);

        assertThat(parse(relay(clientFrame(true, 1, new byte[0]), 1)))
                .singleElement().satisfies(f -> assertThat(f.payload()).isEmpty());
    }

    static Stream<Arguments> framingViolations() {
        byte[] unmaskedPing = {(byte) 0x89, 0x00};
        byte[] topBitLength = ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127))
                .putLong(0x8000_0000_0000_0000L).put(new byte[] {1, 2, 3, 4}).array();
        return Stream.of(
                Arguments.of("an unmasked frame", unmaskedPing, "client frame is not masked (RFC 6455 5.1)"),
                Arguments.of("RSV1 without an extension", clientFrame(true, 1, bytes(10, 'c'), 4),
                        "reserved bits 100 set without a negotiated extension (RFC 6455 5.2)"),
                Arguments.of("RSV3", clientFrame(true, 2, bytes(10, 'c'), 1),
                        "reserved bits 001 set without a negotiated extension (RFC 6455 5.2)"),
                Arguments.of("a reserved data opcode", clientFrame(true, 3, bytes(1, 'r')),
                        "reserved opcode 0x3 (RFC 6455 5.2)"),
                Arguments.of("a reserved control opcode", clientFrame(true, 0xB, bytes(1, 'r')),
                        "reserved opcode 0xb (RFC 6455 5.2)"),
                Arguments.of("a 64-bit length with its top bit set", topBitLength,
                        "frame length has its most significant bit set (RFC 6455 5.2)"),
                Arguments.of("a fragmented ping", clientFrame(false, 9, bytes(3, 'p')),
                        "fragmented control frame (RFC 6455 5.5)"),
                Arguments.of("a ping of 126 bytes", clientFrame(true, 9, bytes(126, 'p')),
                        "control frame payload exceeds 125 bytes (RFC 6455 5.5)"),
                Arguments.of("a continuation without a message", clientFrame(true, 0, bytes(3, 'c')),
                        "continuation frame without a message to continue (RFC 6455 5.4)"),
                Arguments.of("a new message inside a fragmented one",
                        concat(clientFrame(false, 1, bytes(3, 'a')), clientFrame(true, 2, bytes(3, 'b'))),
                        "new data frame before the previous message ended (RFC 6455 5.4)"),
                Arguments.of("a close frame of 1 byte", clientFrame(true, 8, new byte[] {3}),
                        "close frame with a 1-byte payload (RFC 6455 5.5.1)"),
                Arguments.of("close code 1005", clientFrame(true, 8, new byte[] {0x03, (byte) 0xED}),
                        "invalid close code 1005 (RFC 6455 7.4)"),
                Arguments.of("close code 999", clientFrame(true, 8, new byte[] {0x03, (byte) 0xE7}),
                        "invalid close code 999 (RFC 6455 7.4)"),
                Arguments.of("close code 2999", clientFrame(true, 8, new byte[] {0x0B, (byte) 0xB7}),
                        "invalid close code 2999 (RFC 6455 7.4)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framingViolations")
    void refusesAFramingViolationWithProtocolErrorAndReadsNothingAfterIt(String name, byte[] frame, String reason) {
        relay.attach(LIMITS, listener);
        byte[] valid = clientFrame(true, 1, "before".getBytes(StandardCharsets.UTF_8));
        byte[] after = clientFrame(true, 1, "after".getBytes(StandardCharsets.UTF_8));

        for (int chunk : new int[] {1, 1 << 20}) {
            FrameRelay fresh = new FrameRelay();
            violations.clear();
            fresh.attach(LIMITS, listener);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] input = concat(valid, frame, after);
            for (int offset = 0; offset < input.length; offset += chunk) {
                fresh.accept(input, offset, Math.min(chunk, input.length - offset), out);
            }

            List<Frame> relayed = parse(out.toByteArray());
            assertThat(relayed).as("read in chunks of %d", chunk).extracting(f -> new String(f.payload(),
                    StandardCharsets.UTF_8)).doesNotContain("after");
            assertThat(violations).singleElement().satisfies(v -> {
                assertThat(v.getMessage()).isEqualTo(reason);
                assertThat(v.closeCode().getCode()).isEqualTo(1002);
            });
            assertThat(fresh.rejected()).isTrue();
            assertThat(fresh.clientClosed()).as("a close frame after the violation is never seen").isFalse();
        }
    }

    @Test
    void acceptsEveryCloseCodeAPeerMaySend() {
        relay.attach(LIMITS, listener);
        int[] codes = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999};
        for (int code : codes) {
            FrameRelay fresh = new FrameRelay();
            fresh.attach(LIMITS, listener);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] close = clientFrame(true, 8, new byte[] {(byte) (code >>> 8), (byte) code, 'b', 'y', 'e'});
            fresh.accept(close, 0, close.length, out);
            assertThat(parse(out.toByteArray())).as("close code %d", code).singleElement()
                    .satisfies(f -> assertThat(f.opcode()).isEqualTo(8));
            assertThat(fresh.clientClosed()).isTrue();
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void reportsAViolationSeenBeforeTheListenerWasAttachedWhenItIs() {
        byte[] unmasked = {(byte) 0x81, 0x01, 'x'};
        relay(unmasked, 3);
        assertThat(violations).isEmpty();

        relay.attach(LIMITS, listener);

        assertThat(violations).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("client frame is not masked (RFC 6455 5.1)");
    }

    @Test
    void leavesTheStreamOfAnUnguardedConnectionToTheContainerFromTheFirstViolation() {
        relay.unguarded();
        byte[] valid = clientFrame(true, 2, bytes(10, 'v'));
        byte[] unmasked = {(byte) 0x81, 0x01, 'x'};

        byte[] out = relay(concat(valid, unmasked), 1000);

        assertThat(Arrays.copyOfRange(out, out.length - 3, out.length)).isEqualTo(unmasked);
        assertThat(violations).isEmpty();
    }

    @Test
    void holdsNoMoreThanAReadsWorthOfAFrameAndPassesItOnAtOnce() {
        relay.attach(LIMITS, listener);
        byte[] frame = clientFrame(true, 2, bytes(150_000, 'f'));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        relay.accept(frame, 0, 14 + 1000, out);

        List<Frame> relayed = parse(out.toByteArray());
        assertThat(relayed).singleElement().satisfies(f -> {
            assertThat(f.fin()).isFalse();
            assertThat(f.payload()).hasSize(1000);
        });
    }

    @Test
    void passesFramesOnButChecksNothingUntilAPolicyIsAttached() {
        List<Frame> frames = parse(relay(clientFrame(true, 2, bytes(300_000, 'u')), 50_000));

        assertThat(joined(frames)).hasSize(300_000);
        assertThat(rejections).isEmpty();
    }

    @Test
    void reportsTheEndOfTheConnectionOnceEvenIfItCameBeforeTheListener() {
        List<String> ends = new ArrayList<>();
        ConnectionListener counting = new ConnectionListener() {
            @Override
            public void messageStarted(MessageKind kind) {
            }

            @Override
            public void refused(SizeguardCloseException refusal) {
            }

            @Override
            public void connectionEnded() {
                ends.add("ended");
            }
        };
        relay.connectionEnded();
        assertThat(ends).isEmpty();

        relay.attach(LIMITS, counting);
        relay.connectionEnded();

        assertThat(ends).containsExactly("ended");
    }
}
