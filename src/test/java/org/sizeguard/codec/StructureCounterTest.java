package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.websocket.CloseReason.CloseCodes;

import org.junit.jupiter.api.Test;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.codec.StructureCounter.Format;

class StructureCounterTest {

    private static final StructureLimits LIMITS = new StructureLimits(3, 10, 100);

    @Test
    void acceptsTheDeepestLevelAndRefusesOneDeeperNamingTheFormatAndTheLimit() {
        StructureCounter counter = new StructureCounter(Format.MESSAGE_PACK, LIMITS, Integer.MAX_VALUE);

        counter.requireDepth(3);

        assertThatThrownBy(() -> counter.requireDepth(4)).isInstanceOfSatisfying(StructureTooBigException.class,
                refused -> {
                    assertThat(refused.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
                    assertThat(refused.getMessage()).isEqualTo("MessagePack nesting exceeds 3 levels");
                });
    }

    @Test
    void holdsTheDepthToTheDecodersCapWhenThatIsSmallerThanTheLimit() {
        StructureCounter counter = new StructureCounter(Format.PROTOCOL_BUFFERS, LIMITS, 2);

        assertThat(counter.maxDepth()).isEqualTo(2);
        assertThatThrownBy(() -> counter.requireDepth(3)).isInstanceOf(StructureTooBigException.class)
                .hasMessage("Protocol Buffers nesting exceeds 2 levels");
    }

    @Test
    void countsElementsOverTheWholeMessageAndRefusesTheFirstOverTheLimit() {
        StructureCounter counter = new StructureCounter(Format.PROTOCOL_BUFFERS, LIMITS, Integer.MAX_VALUE);

        counter.count(4);
        counter.count(6);

        assertThat(counter.elements()).isEqualTo(10);
        assertThatThrownBy(() -> counter.count(1)).isInstanceOf(StructureTooBigException.class)
                .hasMessage("Protocol Buffers message of 11 elements exceeds 10 elements");
    }

    @Test
    void saysJsonElementsAndValuesInTheWordsJsonReasonsHaveAlwaysUsed() {
        StructureCounter counter = new StructureCounter(Format.JSON, LIMITS, Integer.MAX_VALUE);
        counter.count(10);

        assertThatThrownBy(() -> counter.count(1)).isInstanceOf(StructureTooBigException.class)
                .hasMessage("JSON has more than 10 elements");
        assertThatThrownBy(() -> counter.requireValue("string", 101)).isInstanceOf(StructureTooBigException.class)
                .hasMessage("JSON string exceeds 100 bytes");
        assertThatThrownBy(() -> counter.requireDepth(4)).isInstanceOf(StructureTooBigException.class)
                .hasMessage("JSON nesting exceeds 3 levels");
    }

    @Test
    void refusesADeclaredCountOverTheLimitBeforeCountingIt() {
        StructureCounter counter = new StructureCounter(Format.MESSAGE_PACK, LIMITS, Integer.MAX_VALUE);

        counter.requireDeclared("array of 10 elements", 10);

        assertThatThrownBy(() -> counter.requireDeclared("map of 11 entries", 11))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack map of 11 entries exceeds 10 elements");
        assertThat(counter.elements()).isZero();
    }

    @Test
    void acceptsAValueOfExactlyTheLimitAndRefusesOneByteMoreWithItsLength() {
        StructureCounter counter = new StructureCounter(Format.MESSAGE_PACK, LIMITS, Integer.MAX_VALUE);

        counter.requireValue("string", 100);

        assertThatThrownBy(() -> counter.requireValue("string", 101)).isInstanceOf(StructureTooBigException.class)
                .hasMessage("MessagePack string of 101 bytes exceeds 100 bytes");
    }

    @Test
    void holdsAValueToTheSmallerOfTheLimitAndTheDecodersCap() {
        StructureCounter counter = new StructureCounter(Format.JSON, LIMITS, Integer.MAX_VALUE);

        counter.requireValue("number", 20, 20);

        assertThatThrownBy(() -> counter.requireValue("number", 21, 20)).isInstanceOf(StructureTooBigException.class)
                .hasMessage("JSON number exceeds 20 bytes");
        assertThatThrownBy(() -> counter.requireValue("number", 101, 1000))
                .isInstanceOf(StructureTooBigException.class).hasMessage("JSON number exceeds 100 bytes");
    }
}
