package org.sizeguard.internal.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.StructureLimits;
import org.sizeguard.TransferLimits;
import org.sizeguard.CloseReasons;
import org.sizeguard.internal.ServerLimits;
import org.sizeguard.transfer.TransferRefusedException;

/**
 * Arbitrary sequences of control messages and chunks into one {@link TransferSession} over a real spill directory:
 * it answers or refuses, and refuses only with a {@link TransferRefusedException} (or, over a size limit, a
 * {@link MessageTooBigException}) whose reason fits a close frame;
 * nothing else escapes; and once the session has ended and the application stopped, no transfer, reservation or
 * spill file is left.
 * <p>
 * Input layout: a sequence of messages, each a length byte (0 to 255), a kind byte (even: text; odd: a part of a
 * binary message, the last one unless bit 1 is set too) and that many bytes. Seeds in
 * {@code TransferSessionFuzzTestInputs/} hold a whole transfer, in whole chunks and in parts.
 */
class TransferSessionFuzzTest {

    private static final TransferLimits LIMITS = new TransferLimits(4096, 64, 2, 2, Duration.ofMinutes(10),
            Duration.ofHours(1));
    private static final MessageSizePolicy POLICY = new MessageSizePolicy("fuzz", 4096, 4096, 4096, 4096,
            Duration.ofSeconds(30), StructureLimits.DEFAULTS, true, LIMITS);

    @FuzzTest(maxDuration = "30s")
    void answersOrRefusesWithACloseCodeAndLeavesNothingBehind(byte[] input) throws IOException {
        Path directory = Files.createTempDirectory("sizeguard-fuzz-");
        DirectoryTransferStore store = new DirectoryTransferStore(directory);
        Transfers transfers = new Transfers(store, new ServerLimits(1 << 20, 4, 1 << 20, Duration.ofSeconds(30), 0, 0,
                8, 1 << 20, directory), Clock.systemUTC());
        TransferSession session = new TransferSession(transfers, POLICY, transfer -> { }, refusal -> { });
        try {
            for (int position = 0; position + 2 <= input.length; ) {
                int length = Math.min(input[position] & 0xFF, input.length - position - 2);
                boolean text = (input[position + 1] & 1) == 0;
                boolean last = (input[position + 1] & 2) == 0;
                byte[] payload = Arrays.copyOfRange(input, position + 2, position + 2 + length);
                position += 2 + length;
                try {
                    if (text) {
                        session.control(new String(payload, StandardCharsets.UTF_8));
                    } else {
                        session.chunk(ByteBuffer.wrap(payload), last);
                    }
                } catch (TransferRefusedException | MessageTooBigException refused) {
                    // What the client gets: the reason as the close frame carries it.
                    assertThat(refused.closeReason().getReasonPhrase().getBytes(StandardCharsets.UTF_8).length)
                            .isLessThanOrEqualTo(CloseReasons.MAX_REASON_BYTES);
                    break; // the session is closed
                }
            }
        } catch (Exception unexpected) {
            throw new AssertionError("not a close refusal: " + unexpected, unexpected);
        } finally {
            session.ended();
            transfers.clear();
        }
        assertThat(transfers.active()).isZero();
        assertThat(transfers.spillBytes()).isZero();
        assertThat(store.spillFiles()).isZero();
        Files.delete(directory);
    }
}
