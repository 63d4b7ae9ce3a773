package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class IdleTimeoutTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FakeSession fake = new FakeSession();
    private final AtomicLong lastActivity = new AtomicLong(1_000 * MS);

    @Test
    void takesTheContainersTimeoutOverAndExpiresOnlyAfterThatLongWithoutActivity() {
        fake.maxIdleTimeout = 500;

        IdleTimeout idle = IdleTimeout.kept(fake.session, lastActivity::get);

        assertThat(fake.maxIdleTimeout).isZero();
        assertThat(idle.get()).isEqualTo(500);
        assertThat(idle.expired(1_500 * MS)).isFalse();
        assertThat(idle.expired(1_501 * MS)).isTrue();
        lastActivity.set(1_400 * MS);
        assertThat(idle.expired(1_501 * MS)).as("input or a send since").isFalse();
        assertThat(idle.expired(1_901 * MS)).isTrue();
    }

    @Test
    void neverExpiresWithoutATimeoutAndTakesTheOneTheAuthorSets() {
        IdleTimeout idle = IdleTimeout.kept(fake.session, lastActivity::get);
        assertThat(idle.expired(1_000_000 * MS)).isFalse();

        idle.set(100);

        assertThat(idle.get()).isEqualTo(100);
        assertThat(fake.maxIdleTimeout).isZero();
        assertThat(idle.expired(1_101 * MS)).isTrue();
    }

    @Test
    void leavesTheTimeoutToTheContainerWhereItDoesNotSeeTheConnection() {
        fake.maxIdleTimeout = 500;

        IdleTimeout idle = IdleTimeout.containers(fake.session);
        idle.set(700);

        assertThat(fake.maxIdleTimeout).isEqualTo(700);
        assertThat(idle.get()).isEqualTo(700);
        assertThat(idle.expired(Long.MAX_VALUE)).isFalse();
    }
}
