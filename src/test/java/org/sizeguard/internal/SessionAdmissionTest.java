package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.sizeguard.BudgetExhaustedException;

class SessionAdmissionTest {

    @Test
    void admitsUpToTheTotalCapThenRefusesWith1013NamingItAndAdmitsAgainAfterARelease() {
        SessionAdmission admission = new SessionAdmission(2, 0);
        SessionAdmission.Admission first = admission.admit("10.0.0.1");
        admission.admit("10.0.0.2");

        assertThatThrownBy(() -> admission.admit("10.0.0.3")).isInstanceOfSatisfying(BudgetExhaustedException.class,
                e -> {
                    assertThat(e.closeCode().getCode()).isEqualTo(1013);
                    assertThat(e.getMessage()).isEqualTo("server budget of 2 sessions is spent");
                });
        assertThat(admission.open()).isEqualTo(2);

        first.release();
        first.release();
        assertThat(admission.open()).isEqualTo(1);
        admission.admit("10.0.0.3");
        assertThat(admission.open()).isEqualTo(2);
    }

    @Test
    void capsEachAddressOnItsOwnAndForgetsAnAddressWhoseSessionsAllEnded() {
        SessionAdmission admission = new SessionAdmission(0, 2);
        SessionAdmission.Admission a1 = admission.admit("10.0.0.1");
        SessionAdmission.Admission a2 = admission.admit("10.0.0.1");
        SessionAdmission.Admission b1 = admission.admit("10.0.0.2");

        assertThatThrownBy(() -> admission.admit("10.0.0.1")).isInstanceOf(BudgetExhaustedException.class)
                .hasMessage("server budget of 2 sessions per client address is spent");
        assertThat(admission.open()).isEqualTo(3);

        a1.release();
        a2.release();
        b1.release();
        assertThat(admission.open()).isZero();
        assertThat(admission.addresses()).isZero();
    }

    @Test
    void countsNothingPerAddressWhenThatCapIsOffOrTheAddressIsUnknown() {
        SessionAdmission admission = new SessionAdmission(0, 0);
        for (int i = 0; i < 1000; i++) {
            admission.admit("10.0.0." + (i % 250));
        }
        SessionAdmission capped = new SessionAdmission(0, 1);
        capped.admit(null);
        capped.admit(null);

        assertThat(admission.open()).isEqualTo(1000);
        assertThat(admission.addresses()).isZero();
        assertThat(capped.open()).isEqualTo(2);
        assertThat(capped.addresses()).isZero();
    }

    @Test
    void neverAdmitsMoreThanTheCapWhenManyThreadsOpenSessionsAtOnce() throws Exception {
        SessionAdmission admission = new SessionAdmission(50, 20);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                String address = "10.0.0." + (i % 4);
                attempts.add(threads.submit(() -> {
                    start.await();
                    try {
                        admission.admit(address);
                        return true;
                    } catch (BudgetExhaustedException full) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Boolean> attempt : attempts) {
                admitted += attempt.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(admitted).isEqualTo(50);
            assertThat(admission.open()).isEqualTo(50);
        } finally {
            threads.shutdownNow();
        }
    }
}
