package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sizeguard.BudgetExhaustedException;

class MemoryBudgetTest {

    @Test
    void refusesTheReservationThatWouldExceedItAndReservesNothingThen() {
        MemoryBudget budget = new MemoryBudget(100);
        budget.reserve(60);

        assertThatThrownBy(() -> budget.reserve(41)).isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
            assertThat(e.closeCode().getCode()).isEqualTo(1013);
            assertThat(e.getMessage()).isEqualTo("server budget of 100 buffered bytes is spent");
        });
        assertThat(budget.reserved()).isEqualTo(60);
        budget.reserve(40);
        assertThat(budget.reserved()).isEqualTo(100);
    }

    @Test
    void returnsToZeroWhenEverythingIsReleased() {
        MemoryBudget budget = new MemoryBudget(1000);
        budget.reserve(300);
        budget.reserve(200);

        budget.release(300);
        budget.release(200);

        assertThat(budget.reserved()).isZero();
    }

    @Test
    void refusesAReservationThatWouldOverflowALong() {
        MemoryBudget budget = new MemoryBudget(Long.MAX_VALUE);
        budget.reserve(Long.MAX_VALUE - 1);

        assertThatThrownBy(() -> budget.reserve(Long.MAX_VALUE)).isInstanceOf(BudgetExhaustedException.class);
    }
}
