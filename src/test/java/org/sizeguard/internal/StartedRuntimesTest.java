package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartedRuntimesTest {

    @Test
    void shutsDownEveryRuntimeItWasGivenAfterTheTestAndForgetsThem() {
        StartedRuntimes runtimes = new StartedRuntimes();
        GuardRuntime first = runtimes.started(new GuardRuntime(new Rejections(event -> { }), ServerLimits.defaults()));
        GuardRuntime second = runtimes.started(new GuardRuntime(new Rejections(event -> { }), ServerLimits.defaults()));

        runtimes.afterEach(null);

        assertThat(runtimes.size()).isZero();
        assertThat(first.isShutDown()).isTrue();
        assertThat(second.isShutDown()).isTrue();
    }
}
