package org.sizeguard.internal;

import java.util.Optional;
import java.util.function.Supplier;

import org.sizeguard.MessageSizePolicy;

/**
 * The policy of the endpoint whose instances (the endpoint itself, its decoders) are being created on this
 * thread, so that an {@code @Inject MessageSizePolicy} in a decoder shared by several endpoints receives the
 * policy of the endpoint it serves.
 */
final class PolicyContext {

    private static final ThreadLocal<MessageSizePolicy> CURRENT = new ThreadLocal<>();

    private PolicyContext() {
    }

    static <T> T with(MessageSizePolicy policy, Supplier<T> creation) {
        MessageSizePolicy previous = CURRENT.get();
        CURRENT.set(policy);
        try {
            return creation.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    static Optional<MessageSizePolicy> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
