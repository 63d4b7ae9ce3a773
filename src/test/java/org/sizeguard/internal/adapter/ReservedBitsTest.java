package org.sizeguard.internal.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReservedBitsTest {

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int PING = 0x9;
    private static final int RESERVED_OPCODE = 0x3;

    @Test
    void acceptsAFrameWithoutReservedBitsWithOrWithoutAnExtension() {
        assertThat(ReservedBits.violation(0, TEXT, false)).isNull();
        assertThat(ReservedBits.violation(0, PING, true)).isNull();
    }

    @Test
    void acceptsRsv1OnTheFirstFrameOfATextOrBinaryMessageUnderPermessageDeflate() {
        assertThat(ReservedBits.violation(ReservedBits.RSV1, TEXT, true)).isNull();
        assertThat(ReservedBits.violation(ReservedBits.RSV1, BINARY, true)).isNull();
    }

    @Test
    void refusesRsv1WithoutANegotiatedExtension() {
        assertThat(ReservedBits.violation(ReservedBits.RSV1, TEXT, false))
                .isEqualTo("reserved bits 100 set without a negotiated extension (RFC 6455 5.2)");
    }

    @Test
    void refusesRsv2AndRsv3EvenUnderPermessageDeflateNamingTheBits() {
        assertThat(ReservedBits.violation(0b011, BINARY, true))
                .isEqualTo("reserved bits 011 set without a negotiated extension (RFC 6455 5.2)");
        assertThat(ReservedBits.violation(0b101, TEXT, true))
                .isEqualTo("reserved bits 101 set without a negotiated extension (RFC 6455 5.2)");
    }

    @Test
    void refusesRsv1OnAContinuationOrControlFrameUnderPermessageDeflate() {
        assertThat(ReservedBits.violation(ReservedBits.RSV1, CONTINUATION, true))
                .isEqualTo("RSV1 set on a continuation frame (RFC 7692 6)");
        assertThat(ReservedBits.violation(ReservedBits.RSV1, PING, true))
                .isEqualTo("RSV1 set on a control frame (RFC 7692 6)");
    }

    @Test
    void refusesRsv1OnAReservedOpcodeAsABitNoExtensionExplains() {
        assertThat(ReservedBits.violation(ReservedBits.RSV1, RESERVED_OPCODE, true))
                .isEqualTo("reserved bits 100 set without a negotiated extension (RFC 6455 5.2)");
    }
}
