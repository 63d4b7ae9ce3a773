package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.clientFrame;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.concat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.joined;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.tyrus.FrameRelayTest.Frame;
import org.sizeguard.testclient.DeflatedMessages;
import org.sizeguard.internal.adapter.SessionLimits;

/** The relay of a connection that negotiated permessage-deflate: compressed messages in, plain fragments out. */
class FrameRelayInflationTest {

    private static final int TEXT_LIMIT = 100_000;
    private static final MessageSizePolicy POLICY = new MessageSizePolicy("test", TEXT_LIMIT, 200_000);
    private static final SessionLimits LIMITS = new SessionLimits(POLICY.maxTextBytes(), POLICY.maxBinaryBytes());
    private static final int RSV1 = DeflatedMessages.RSV1;

    private final MemoryBudget budget = new MemoryBudget(1 << 30);
    private final FrameRelay relay = new FrameRelay(true, budget);
    private final List<SizeguardCloseException> refusals = new ArrayList<>();
    private final ConnectionListener listener = Refusals.into(refusals);

    /** Relays {@code input} read {@code chunk} bytes at a time, draining the backlog after each read as Tyrus does. */
    private byte[] relay(byte[] input, int chunk) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int offset = 0; offset < input.length; offset += chunk) {
            relay.accept(input, offset, Math.min(chunk, input.length - offset), all);
            while (relay.hasBacklog()) {
                relay.resume(all);
            }
        }
        return all.toByteArray();
    }

    private static byte[] text(int length) {
        byte[] bytes = new byte[length];
        Random random = new Random(length);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(4));
        }
        return bytes;
    }

    private static int code(SizeguardCloseException refusal) {
        return refusal.closeReason().getCloseCode().getCode();
    }

    @ParameterizedTest(name = "read in chunks of {0} bytes")
    @ValueSource(ints = {1, 5, 999, 65_536, 1 << 20})
    void inflatesACompressedMessageInOneFrameWhateverTheReadSize(int chunk) {
        relay.attach(LIMITS, listener);
        byte[] message = text(90_000);

        List<Frame> frames = parse(relay(clientFrame(true, 1, DeflatedMessages.compressed(message, 6), RSV1), chunk));

        assertThat(joined(frames)).isEqualTo(message);
        assertThat(frames.get(0).opcode()).isEqualTo(1);
        assertThat(frames.subList(1, frames.size())).allSatisfy(f -> assertThat(f.opcode()).isZero());
        assertThat(frames).allSatisfy(f -> assertThat(f.payload().length).isLessThanOrEqualTo(
                FrameRelay.MAX_FRAGMENT_PAYLOAD));
        assertThat(frames.get(frames.size() - 1).fin()).isTrue();
        assertThat(refusals).isEmpty();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void inflatesAMessageCompressedAcrossManyFramesAndThenAPlainOne() {
        relay.attach(LIMITS, listener);
        byte[] message = text(50_000);
        byte[] compressed = DeflatedMessages.compressed(message, 6);
        int third = compressed.length / 3;
        byte[] plain = "plain".getBytes(StandardCharsets.US_ASCII);

        List<Frame> frames = parse(relay(concat(
                clientFrame(false, 2, Arrays.copyOfRange(compressed, 0, third), RSV1),
                clientFrame(true, 9, new byte[0]),
                clientFrame(false, 0, Arrays.copyOfRange(compressed, third, 2 * third)),
                clientFrame(false, 0, new byte[0]),
                clientFrame(true, 0, Arrays.copyOfRange(compressed, 2 * third, compressed.length)),
                clientFrame(true, 2, plain)), 777));

        assertThat(frames).anySatisfy(f -> assertThat(f.opcode()).isEqualTo(9));
        List<Frame> data = frames.stream().filter(f -> f.opcode() < 8).toList();
        Frame last = data.get(data.size() - 1);
        assertThat(last.payload()).isEqualTo(plain);
        assertThat(joined(data.subList(0, data.size() - 1))).isEqualTo(message);
        assertThat(data.stream().filter(Frame::fin).count()).isEqualTo(2);
        assertThat(refusals).isEmpty();
    }

    @Test
    void keepsAnEmptyCompressedMessage() {
        relay.attach(LIMITS, listener);

        List<Frame> frames = parse(relay(clientFrame(true, 1, new byte[] {0x00}, RSV1), 100));

        assertThat(frames).singleElement().satisfies(f -> {
            assertThat(f.fin()).isTrue();
            assertThat(f.opcode()).isEqualTo(1);
            assertThat(f.payload()).isEmpty();
        });
    }

    @Test
    void acceptsAMessageThatInflatesToExactlyTheLimitAndRefusesOneByteMore() {
        relay.attach(LIMITS, listener);
        byte[] exact = text(TEXT_LIMIT);

        assertThat(joined(parse(relay(clientFrame(true, 1, DeflatedMessages.compressed(exact, 9), RSV1), 4096))))
                .isEqualTo(exact);
        assertThat(refusals).isEmpty();

        byte[] over = relay(clientFrame(true, 1, DeflatedMessages.compressed(text(TEXT_LIMIT + 1), 9), RSV1), 4096);

        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(code(refusal)).isEqualTo(1009);
            assertThat(refusal.closeReason().getReasonPhrase()).isEqualTo("text message exceeds 100000 bytes");
        });
        assertThat(parse(over)).noneSatisfy(f -> assertThat(f.fin()).isTrue());
        assertThat(joined(parse(over)).length).isLessThanOrEqualTo(TEXT_LIMIT);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void passesABombOnOneFragmentPerCallAndRefusesItAtTheLimitPlusOneByte() {
        relay.attach(LIMITS, listener);
        byte[] bomb = clientFrame(true, 2, DeflatedMessages.compressedRun(64L << 20, (byte) 0), RSV1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int calls = 0;
        for (int offset = 0; offset < bomb.length; offset += 65_536) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            relay.accept(bomb, offset, Math.min(65_536, bomb.length - offset), out);
            while (true) {
                calls++;
                assertThat(out.size()).as("one call's output").isLessThanOrEqualTo(FrameRelay.MAX_FRAGMENT_PAYLOAD + 14);
                all.writeBytes(out.toByteArray());
                if (!relay.hasBacklog()) {
                    break;
                }
                out.reset();
                relay.resume(out);
            }
        }

        assertThat(calls).isGreaterThan(3);
        assertThat(joined(parse(all.toByteArray())).length).isLessThanOrEqualTo(200_000);
        assertThat(refusals).singleElement().satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1009));
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void refusesTheFrameHeaderThatDeclaresMoreCompressedBytesThanTheLimit() {
        relay.attach(LIMITS, listener);
        byte[] random = new byte[TEXT_LIMIT + 10];
        new Random(1).nextBytes(random);
        byte[] frame = clientFrame(true, 1, random, RSV1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        relay.accept(frame, 0, 14, out);

        assertThat(refusals).singleElement().satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1009));
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void refusesInvalidDeflateDataWith1007AndDropsTheRestOfTheMessage() {
        relay.attach(LIMITS, listener);
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5};

        byte[] out = relay(concat(clientFrame(false, 2, garbage, RSV1), clientFrame(true, 0, garbage)), 3);

        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(code(refusal)).isEqualTo(1007);
            assertThat(refusal.closeReason().getReasonPhrase()).isEqualTo(
                    "compressed message is not valid deflate data");
        });
        assertThat(parse(out)).isEmpty();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void refusesRsv1OnAContinuationOrAControlFrameWith1002() {
        relay.attach(LIMITS, listener);
        relay(concat(clientFrame(false, 1, DeflatedMessages.compressed(text(10), 6), RSV1),
                clientFrame(true, 0, new byte[] {0x00}, RSV1)), 100);

        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(code(refusal)).isEqualTo(1002);
            assertThat(refusal.closeReason().getReasonPhrase()).isEqualTo(
                    "RSV1 set on a continuation frame (RFC 7692 6)");
        });
        assertThat(budget.reserved()).isZero();

        FrameRelay other = new FrameRelay(true, budget);
        List<SizeguardCloseException> seen = new ArrayList<>();
        other.attach(LIMITS, Refusals.into(seen));
        other.accept(clientFrame(true, 9, new byte[0], RSV1), 0, 6, new ByteArrayOutputStream());
        assertThat(seen).singleElement().satisfies(refusal -> assertThat(refusal.closeReason().getReasonPhrase())
                .isEqualTo("RSV1 set on a control frame (RFC 7692 6)"));
    }

    @Test
    void refusesRsv2EvenWhenPermessageDeflateWasNegotiated() {
        relay.attach(LIMITS, listener);

        relay(clientFrame(true, 1, new byte[] {0x00}, 2), 10);

        assertThat(refusals).singleElement().satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1002));
    }

    @Test
    void refusesACompressedMessageWith1013WhenTheBudgetCannotHoldItsInflater() {
        FrameRelay poor = new FrameRelay(true, new MemoryBudget(1000));
        poor.attach(LIMITS, listener);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] frame = clientFrame(true, 1, DeflatedMessages.compressed(text(100), 6), RSV1);

        poor.accept(frame, 0, frame.length, out);

        assertThat(refusals).singleElement().satisfies(refusal -> assertThat(code(refusal)).isEqualTo(1013));
        assertThat(out.size()).isZero();
    }

    @Test
    void freesTheInflaterOfAMessageCutOffByTheEndOfTheConnection() {
        relay.attach(LIMITS, listener);
        byte[] frame = clientFrame(true, 1, DeflatedMessages.compressed(text(90_000), 6), RSV1);
        relay.accept(frame, 0, frame.length / 2, new ByteArrayOutputStream());
        assertThat(budget.reserved()).isPositive();

        relay.connectionEnded();

        assertThat(budget.reserved()).isZero();
    }

    @Test
    void passesCompressedFramesOnAsTheyAreWhenNoGuardedEndpointAttached() {
        byte[] compressed = DeflatedMessages.compressed(text(1000), 6);

        byte[] out = relay(clientFrame(true, 1, compressed, RSV1), 100);

        assertThat(out[0] & 0x70).as("RSV1 kept on the first fragment").isEqualTo(0x40);
        assertThat(joined(parse(out))).isEqualTo(compressed);
        assertThat(relay.inflates()).isFalse();
        assertThat(budget.reserved()).isZero();
    }
}
