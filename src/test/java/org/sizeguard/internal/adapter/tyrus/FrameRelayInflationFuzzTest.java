package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.CloseReasons;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.SessionLimits;

/**
 * Arbitrary client byte streams to the {@link FrameRelay} of a connection that negotiated permessage-deflate, read in
 * arbitrary chunks and drained as Tyrus drains it: it never throws; what it passes on is well-formed for Tyrus (no
 * reserved bits left, fragments of at most 64 KiB, every message within its limit counted in inflated bytes); one call
 * never passes on more than one read's worth of plain frames and one inflated fragment; it refuses at most once, with
 * 1002, 1007 or 1009 and a reason that fits a close frame; and when the connection ends, the budget is back at zero.
 * <p>
 * Input layout as in {@link FrameRelayFuzzTest}: byte 0 the read size (1 to 256 bytes), bytes 1 and 2 the text and
 * binary limits (in units of 256 bytes here, so that compressed seeds inflate past them), the rest the client's bytes.
 * Seeds in {@code FrameRelayInflationFuzzTestInputs/} hold compressed messages.
 */
class FrameRelayInflationFuzzTest {

    private static final int HEADER = 3;

    @FuzzTest(maxDuration = "30s")
    void inflatesOnlyWithinTheLimitsAndPassesOnWellFormedFrames(byte[] input) {
        byte[] header = Arrays.copyOf(input, HEADER);
        int chunk = 1 + (header[0] & 0xFF);
        long textLimit = 256L * (header[1] & 0xFF);
        long binaryLimit = 256L * (header[2] & 0xFF);
        byte[] stream = input.length > HEADER ? Arrays.copyOfRange(input, HEADER, input.length) : new byte[0];

        MemoryBudget budget = new MemoryBudget(1L << 30);
        List<SizeguardCloseException> refusals = new ArrayList<>();
        FrameRelay relay = new FrameRelay(true, budget);
        relay.attach(new SessionLimits(textLimit, binaryLimit), Refusals.into(refusals));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int offset = 0; offset < stream.length; offset += chunk) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int length = Math.min(chunk, stream.length - offset);
            relay.accept(stream, offset, length, out);
            while (true) {
                assertThat(out.size()).as("one call's output")
                        .isLessThanOrEqualTo(2 * length + FrameRelay.MAX_FRAGMENT_PAYLOAD + 64);
                all.writeBytes(out.toByteArray());
                if (!relay.hasBacklog()) {
                    break;
                }
                out.reset();
                relay.resume(out);
            }
        }
        relay.connectionEnded();

        FrameRelayFuzzTest.checkWellFormed(all.toByteArray(), textLimit, binaryLimit);
        assertThat(budget.reserved()).as("the budget after the connection ended").isZero();
        assertThat(refusals).hasSizeLessThanOrEqualTo(1);
        for (SizeguardCloseException refusal : refusals) {
            assertThat(refusal.closeReason().getCloseCode().getCode()).isIn(1002, 1007, 1009);
            assertThat(refusal.getMessage().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(CloseReasons.MAX_REASON_BYTES);
        }
    }
}
