package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sizeguard.internal.adapter.ReservedBits;

/**
 * The frame relay still judges reserved bits itself ({@link FrameHeader#violationInFirstBytes}); until it asks
 * {@link ReservedBits}, this holds the two to the same rule for every combination of bits, opcode and extension.
 */
class FrameHeaderReservedBitsTest {

    private static final int MASKED = 0x80;

    @Test
    void judgesEveryCombinationOfReservedBitsAndOpcodeAsReservedBitsDoes() {
        for (boolean permessageDeflate : new boolean[] {false, true}) {
            for (int rsv = 0; rsv < 8; rsv++) {
                for (int opcode = 0; opcode < 16; opcode++) {
                    int first = 0x80 | rsv << 4 | opcode;
                    String relay = FrameHeader.violationInFirstBytes(first, MASKED, permessageDeflate);
                    String shared = ReservedBits.violation(rsv, opcode, permessageDeflate);
                    String combination = "rsv " + rsv + ", opcode " + opcode + ", deflate " + permessageDeflate;

                    if (shared != null) {
                        assertThat(relay).as(combination).isEqualTo(shared);
                    } else {
                        assertThat(relay).as(combination).satisfiesAnyOf(
                                reason -> assertThat(reason).isNull(),
                                reason -> assertThat(reason).doesNotContain("RSV1").doesNotContain("reserved bits"));
                    }
                }
            }
        }
    }
}
