package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.clientFrame;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ControlFrameTest {

    private final ControlFrame control = new ControlFrame();

    /** Starts {@code frame} and collects its payload one byte per read. */
    private void collectBytewise(byte[] frame) {
        FrameHeader header = FrameHeader.parse(frame);
        int position = frame.length - (int) header.length();
        control.start(header);
        while (!control.complete()) {
            position = control.collect(frame, position, position + 1);
        }
    }

    @Test
    void collectsAPingAcrossReadsAndPassesItOnWholeAndUnmasked() {
        collectBytewise(clientFrame(true, 9, "are you there".getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(control.violation()).isNull();
        boolean close = control.passOn(out);

        assertThat(close).isFalse();
        assertThat(parse(out.toByteArray())).singleElement().satisfies(f -> {
            assertThat(f.opcode()).isEqualTo(9);
            assertThat(f.fin()).isTrue();
            assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");
        });
    }

    @Test
    void takesNoByteBeyondItsPayload() {
        byte[] ping = clientFrame(true, 9, new byte[] {1, 2, 3});
        byte[] twice = FrameRelayTest.concat(ping, ping);
        control.start(FrameHeader.parse(ping));

        int end = control.collect(twice, 6, twice.length);

        assertThat(end).isEqualTo(ping.length);
        assertThat(control.complete()).isTrue();
    }

    @Test
    void saysWhenItPassesOnTheClientsCloseFrame() {
        collectBytewise(clientFrame(true, 8, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(control.violation()).isNull();
        assertThat(control.passOn(out)).isTrue();
        assertThat(parse(out.toByteArray())).singleElement().satisfies(f -> assertThat(f.payload())
                .containsExactly(0x03, 0xE8, 'b', 'y', 'e'));
    }

    @Test
    void namesTheRuleACloseCodeNoPeerMaySendBreaks() {
        collectBytewise(clientFrame(true, 8, new byte[] {0x03, (byte) 0xED}));

        assertThat(control.violation()).isEqualTo("invalid close code 1005 (RFC 6455 7.4)");
    }

    @Test
    void acceptsACloseFrameWithoutACode() {
        collectBytewise(clientFrame(true, 8, new byte[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(control.violation()).isNull();
        assertThat(control.passOn(out)).isTrue();
        assertThat(parse(out.toByteArray())).singleElement().satisfies(f -> assertThat(f.payload()).isEmpty());
    }
}
