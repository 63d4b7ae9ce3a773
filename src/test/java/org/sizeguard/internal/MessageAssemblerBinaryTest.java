package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;

class MessageAssemblerBinaryTest {

    @Test
    void joinsPartsIntoTheWholeMessage() {
        MessageAssembler<ByteBuffer> assembler = MessageAssembler.binary(10, MemoryBudget.unlimited());

        assertThat(assembler.append(ByteBuffer.wrap(new byte[] {1, 2, 3}), false, true)).isNull();
        ByteBuffer whole = assembler.append(ByteBuffer.wrap(new byte[] {4, 5}), true, true);

        byte[] bytes = new byte[whole.remaining()];
        whole.get(bytes);
        assertThat(bytes).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void acceptsExactlyTheLimitAndRejectsOneByteMore() {
        assertThat(MessageAssembler.binary(4, MemoryBudget.unlimited()).append(ByteBuffer.allocate(4), true, true)
                .remaining()).isEqualTo(4);

        assertThatThrownBy(() -> MessageAssembler.binary(4, MemoryBudget.unlimited())
                .append(ByteBuffer.allocate(5), true, true))
                .isInstanceOfSatisfying(MessageTooBigException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MessageKind.BINARY);
                    assertThat(e.getMessage()).isEqualTo("binary message exceeds 4 bytes");
                    assertThat(e.observedBytes()).isEqualTo(5);
                });
    }

    @Test
    void rejectsAcrossManySmallPartsAndStartsAfreshAfterwards() {
        MessageAssembler<ByteBuffer> assembler = MessageAssembler.binary(1000, MemoryBudget.unlimited());
        for (int i = 0; i < 10; i++) {
            assembler.append(ByteBuffer.allocate(100), false, true);
        }

        assertThatThrownBy(() -> assembler.append(ByteBuffer.allocate(1), false, true))
                .isInstanceOfSatisfying(MessageTooBigException.class,
                        e -> assertThat(e.observedBytes()).isEqualTo(1001));
        assertThat(assembler.received()).isZero();
        assertThat(assembler.append(ByteBuffer.allocate(3), true, true).remaining()).isEqualTo(3);
    }

    @Test
    void joinsAMessageWhoseFirstPartIsEmpty() {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        MessageAssembler<ByteBuffer> assembler = MessageAssembler.binary(100, budget);

        assertThat(assembler.append(java.nio.ByteBuffer.allocate(0), false, true)).isNull();
        java.nio.ByteBuffer whole = assembler.append(java.nio.ByteBuffer.wrap(new byte[] {1, 2}), true, true);

        assertThat(whole.remaining()).isEqualTo(2);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void reservesItsCapacityAndNeverGrowsPastTheLimit() {
        MemoryBudget budget = new MemoryBudget(1 << 30);
        MessageAssembler<ByteBuffer> assembler = MessageAssembler.binary(1_047_553, budget);

        for (int i = 0; i < 15; i++) {
            assembler.append(java.nio.ByteBuffer.allocate(65_536), false, true);
        }
        assembler.append(java.nio.ByteBuffer.allocate(1_047_553 - 15 * 65_536 - 1), false, true);

        assertThat(assembler.reserved()).isEqualTo(1_047_553);
        assertThat(budget.reserved()).isEqualTo(assembler.reserved());
        assembler.release();
        assertThat(budget.reserved()).isZero();
    }
}
