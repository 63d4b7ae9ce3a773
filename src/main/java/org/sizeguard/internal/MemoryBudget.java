package org.sizeguard.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.sizeguard.BudgetExhaustedException;

/**
 * The server-wide budget of bytes that Sizeguard may hold for messages in progress (assembly buffers by their
 * capacity, parts queued for stream readers, replies queued for sending), shared by every session of one
 * application. A holder reserves before it allocates or keeps, and releases what it reserved when it lets go; a
 * reservation that would exceed the budget is refused, and the holder's session is closed with 1013.
 * <p>
 * Thread-safe and lock-free. {@link #reserved()} returns to 0 when nothing is held.
 */
public final class MemoryBudget {

    /** Names the budget in 1013 reasons: {@code "server budget of N buffered bytes is spent"}. */
    static final String NAME = "buffered bytes";

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    /** @param limit the most bytes held at once, {@code > 0} */
    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a budget must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** A budget that never refuses (for tests and tools that measure without one). */
    static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /**
     * Reserves {@code bytes}, or throws and reserves nothing.
     *
     * @throws BudgetExhaustedException if the budget would be exceeded
     */
    public void reserve(long bytes) {
        if (bytes <= 0) {
            return;
        }
        long now;
        do {
            now = reserved.get();
            if (now + bytes > limit || now + bytes < 0) {
                throw new BudgetExhaustedException(NAME, limit);
            }
        } while (!reserved.compareAndSet(now, now + bytes));
    }

    /** Gives back {@code bytes} reserved before. */
    public void release(long bytes) {
        if (bytes > 0) {
            reserved.addAndGet(-bytes);
        }
    }

    /** Bytes reserved now. */
    public long reserved() {
        return reserved.get();
    }

    /** The most bytes that may be reserved at once. */
    public long limit() {
        return limit;
    }
}
