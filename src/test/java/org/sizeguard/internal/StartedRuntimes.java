package org.sizeguard.internal;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link GuardRuntime}s one test starts, each shut down after the test, whatever its outcome: the set-up of a
 * runtime in one call instead of a {@code try}/{@code finally} in every test. Register it as a non-private
 * {@code @RegisterExtension} field, declared before any field that starts a runtime through it.
 * <p>
 * Runtimes are shut down in the reverse order of their start, after the test class's {@code @AfterEach} methods.
 */
final class StartedRuntimes implements AfterEachCallback {

    private final Deque<GuardRuntime> started = new ArrayDeque<>();

    /** Keeps {@code runtime} to be shut down after the test; returns it. */
    GuardRuntime started(GuardRuntime runtime) {
        started.push(runtime);
        return runtime;
    }

    /** How many runtimes are kept for shutting down. */
    int size() {
        return started.size();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        while (!started.isEmpty()) {
            started.pop().shutdown();
        }
    }
}
