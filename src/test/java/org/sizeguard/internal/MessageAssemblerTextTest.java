package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;

class MessageAssemblerTextTest {

    @Test
    void joinsPartsIntoTheWholeMessage() {
        MessageAssembler<String> assembler = MessageAssembler.text(100, MemoryBudget.unlimited());

        assertThat(assembler.append("Hello, ", false, true)).isNull();
        assertThat(assembler.append("world", true, true)).isEqualTo("Hello, world");
        assertThat(assembler.received()).isZero();
    }

    @Test
    void acceptsAMessageOfExactlyTheLimitInUtf8Bytes() {
        MessageAssembler<String> assembler = MessageAssembler.text(65_536, MemoryBudget.unlimited());

        assertThat(assembler.append("€".repeat(21_845) + "a", true, true)).hasSize(21_846);
    }

    @Test
    void rejects21846EuroSignsAgainstA64KiBLimitCountingUtf8Bytes() {
        MessageAssembler<String> assembler = MessageAssembler.text(65_536, MemoryBudget.unlimited());

        assertThatThrownBy(() -> assembler.append("€".repeat(21_846), true, true))
                .isInstanceOfSatisfying(MessageTooBigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MessageKind.TEXT);
                    assertThat(e.limit()).isEqualTo(65_536);
                    assertThat(e.observedBytes()).isEqualTo(65_538);
                    assertThat(e.getMessage()).isEqualTo("text message exceeds 65536 bytes");
                });
    }

    @Test
    void rejectsTheFirstPartThatCrossesTheLimitAndReleasesWhatItHeld() {
        MessageAssembler<String> assembler = MessageAssembler.text(10, MemoryBudget.unlimited());
        assembler.append("12345", false, true);

        assertThatThrownBy(() -> assembler.append("678901", false, true))
                .isInstanceOfSatisfying(MessageTooBigException.class,
                        e -> assertThat(e.observedBytes()).isEqualTo(11));
        assertThat(assembler.received()).isZero();
        assertThat(assembler.append("ok", true, true)).isEqualTo("ok");
    }

    @Test
    void rejectsAFourByteCharacterStraddlingTheLimit() {
        MessageAssembler<String> assembler = MessageAssembler.text(6, MemoryBudget.unlimited());

        assertThatThrownBy(() -> assembler.append("abc\uD83D\uDE00", true, true))
                .isInstanceOf(MessageTooBigException.class);
    }

    @Test
    void countsPartsItDoesNotKeepAcrossTheWholeMessage() {
        MessageAssembler<String> assembler = MessageAssembler.text(10, MemoryBudget.unlimited());
        assembler.append("123456", false, false);

        assertThatThrownBy(() -> assembler.append("12345", true, false)).isInstanceOf(MessageTooBigException.class);
    }

    @Test
    void joinsAMessageWhoseFirstPartIsEmptyAndGivesItsReservationBack() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        MessageAssembler<String> assembler = MessageAssembler.text(100, budget);

        assertThat(assembler.append("", false, true)).isNull();
        assertThat(assembler.append("€uro", true, true)).isEqualTo("€uro");
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void reservesTwoBytesPerCharOfCapacityAndNeverMoreCharsThanTheLimit() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        MessageAssembler<String> assembler = MessageAssembler.text(1000, budget);

        for (int i = 0; i < 9; i++) {
            assembler.append("x".repeat(100), false, true);
        }

        assertThat(assembler.reserved()).isEqualTo(2 * 1000);
        assertThat(budget.reserved()).isEqualTo(2 * 1000);
    }
}
