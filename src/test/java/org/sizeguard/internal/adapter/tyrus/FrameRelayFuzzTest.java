package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.CloseReasons;
import org.sizeguard.internal.ProtocolViolationException;
import org.sizeguard.internal.adapter.SessionLimits;

/**
 * Feeds arbitrary client byte streams to {@link FrameRelay}, read in arbitrary chunks, and checks what it promises
 * the container: it never throws; everything it passes on is well-formed input for Tyrus (unmasked, no reserved bits
 * or opcodes, control frames whole and at most 125 bytes, data fragments at most 64 KiB, continuations only inside a
 * message); the data it passes on is a prefix of the data the client sent (nothing invented, reordered or lost before
 * a refusal); no message it passes on exceeds its limit; it refuses at most once, with 1002 or 1009 and a reason that
 * fits a close frame.
 * <p>
 * Input layout: byte 0 chooses the read size (1 to 256 bytes), bytes 1 and 2 the text and binary limits (in units of
 * 16 bytes), the rest is what the client sends. In a plain {@code mvn test} the seeds in
 * {@code FrameRelayFuzzTestInputs/} are replayed; {@code mvn -Pfuzz test} fuzzes for {@code maxDuration}.
 */
class FrameRelayFuzzTest {

    private static final int HEADER = 3;

    @FuzzTest(maxDuration = "30s")
    void relaysOnlyWellFormedFramesAndNeverMoreThanItWasGiven(byte[] input) {
        byte[] header = Arrays.copyOf(input, HEADER);
        int chunk = 1 + (header[0] & 0xFF);
        long textLimit = 16L * (header[1] & 0xFF);
        long binaryLimit = 16L * (header[2] & 0xFF);
        byte[] stream = input.length > HEADER ? Arrays.copyOfRange(input, HEADER, input.length) : new byte[0];

        List<SizeguardCloseException> refusals = new ArrayList<>();
        FrameRelay relay = new FrameRelay();
        relay.attach(new SessionLimits(textLimit, binaryLimit), Refusals.into(refusals));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < stream.length; offset += chunk) {
            relay.accept(stream, offset, Math.min(chunk, stream.length - offset), out);
        }

        byte[] relayedData = checkWellFormed(out.toByteArray(), textLimit, binaryLimit);
        byte[] sentData = dataOf(stream);
        assertThat(relayedData.length).isLessThanOrEqualTo(sentData.length);
        assertThat(Arrays.copyOf(sentData, relayedData.length)).as("relayed data is a prefix of the sent data")
                .isEqualTo(relayedData);
        assertThat(refusals).hasSizeLessThanOrEqualTo(1);
        assertThat(relay.rejected()).isEqualTo(!refusals.isEmpty());
        for (SizeguardCloseException refusal : refusals) {
            assertThat(refusal).isInstanceOfAny(ProtocolViolationException.class, MessageTooBigException.class);
            assertThat(refusal.getMessage().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(CloseReasons.MAX_REASON_BYTES);
        }
    }

    /**
     * Parses the relayed stream as a server would, checking every rule; returns the data payload, in order. A frame
     * cut short at the end is allowed only if it is the last thing relayed.
     */
    static byte[] checkWellFormed(byte[] relayed, long textLimit, long binaryLimit) {
        ByteBuffer in = ByteBuffer.wrap(relayed);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int messageOpcode = -1;
        long messageBytes = 0;
        while (in.hasRemaining()) {
            assertThat(in.remaining()).as("a frame header is relayed whole").isGreaterThanOrEqualTo(2);
            int b0 = in.get() & 0xFF;
            int b1 = in.get() & 0xFF;
            assertThat(b0 & 0x70).as("reserved bits").isZero();
            int opcode = b0 & 0x0F;
            assertThat(FrameHeader.Opcode.isDefined(opcode)).as("opcode %d", opcode).isTrue();
            assertThat(b1 & 0x80).as("relayed frames are unmasked (the relay has checked the client's mask)").isZero();
            long length = FrameRelayTest.payloadLength(b1, in);
            assertThat(length).as("a relayed frame's payload is relayed whole").isLessThanOrEqualTo(in.remaining());
            byte[] payload = new byte[(int) length];
            in.get(payload);
            boolean fin = (b0 & 0x80) != 0;
            if (FrameHeader.Opcode.isControl(opcode)) {
                assertThat(fin).as("control frames are whole").isTrue();
                assertThat(length).isLessThanOrEqualTo(125);
                continue;
            }
            assertThat(length).isLessThanOrEqualTo(FrameRelay.MAX_FRAGMENT_PAYLOAD);
            if (opcode == FrameHeader.Opcode.CONTINUATION) {
                assertThat(messageOpcode).as("a continuation continues a message").isNotEqualTo(-1);
            } else {
                assertThat(messageOpcode).as("no message starts inside another").isEqualTo(-1);
                messageOpcode = opcode;
                messageBytes = 0;
            }
            messageBytes += length;
            assertThat(messageBytes).as("a relayed message stays within its limit")
                    .isLessThanOrEqualTo(messageOpcode == FrameHeader.Opcode.TEXT ? textLimit : binaryLimit);
            data.writeBytes(payload);
            if (fin) {
                messageOpcode = -1;
            }
        }
        return data.toByteArray();
    }

    /** The unmasked data payload of the client's masked frames, as far as they can be read at all. */
    private static byte[] dataOf(byte[] stream) {
        ByteBuffer in = ByteBuffer.wrap(stream);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (in.remaining() >= 2) {
            int b0 = in.get() & 0xFF;
            int b1 = in.get() & 0xFF;
            if ((b1 & 0x80) == 0) {
                break;
            }
            long length = b1 & 0x7F;
            if (length == 126) {
                if (in.remaining() < 2) {
                    break;
                }
                length = in.getShort() & 0xFFFF;
            } else if (length == 127) {
                if (in.remaining() < 8) {
                    break;
                }
                length = in.getLong();
            }
            if (length < 0 || in.remaining() < 4) {
                break;
            }
            byte[] mask = new byte[4];
            in.get(mask);
            int available = (int) Math.min(length, in.remaining());
            for (int i = 0; i < available; i++) {
                byte b = (byte) (in.get() ^ mask[i & 3]);
                if ((b0 & 0x0F) < 0x8) {
                    data.write(b);
                }
            }
            if (available < length) {
                break;
            }
        }
        return data.toByteArray();
    }
}
