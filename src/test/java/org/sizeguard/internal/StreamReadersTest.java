package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sizeguard.BudgetExhaustedException;

class StreamReadersTest {

    private final StreamReaders readers = new StreamReaders(2, Executors.defaultThreadFactory());
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        readers.shutdown();
    }

    private void blockingReader(CountDownLatch started) {
        readers.start(() -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void refusesAReaderAtOnceWhenEverySlotIsTakenInsteadOfQueueingIt() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(2);
        blockingReader(started);
        blockingReader(started);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> readers.start(() -> { }))
                .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
                    assertThat(e.closeCode().getCode()).isEqualTo(1013);
                    assertThat(e.getMessage()).isEqualTo("server budget of 2 concurrent stream readers is spent");
                });
        assertThat(readers.active()).isEqualTo(2);
    }

    @Test
    void givesTheSlotBackWhenTheReaderReturnsEvenByThrowing() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(2);
        readers.start(() -> {
            ran.countDown();
            throw new IllegalStateException("a reader that fails");
        });
        readers.start(ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> readers.active() == 0);
        CountDownLatch again = new CountDownLatch(2);
        blockingReader(again);
        blockingReader(again);
        assertThat(again.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
