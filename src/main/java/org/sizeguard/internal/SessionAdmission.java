package org.sizeguard.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.sizeguard.BudgetExhaustedException;

/**
 * The optional caps on open sessions, in total ({@code sizeguard.max-sessions}) and per client address
 * ({@code sizeguard.max-sessions-per-address}); 0 turns a cap off. A session is admitted when it opens and its
 * {@link Admission} is released once when it ends. Counts per address are removed when they reach zero, so the map
 * holds only addresses with open sessions. Thread-safe.
 */
final class SessionAdmission {

    private final int maxSessions;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

    SessionAdmission(int maxSessions, int maxPerAddress) {
        this.maxSessions = maxSessions;
        this.maxPerAddress = maxPerAddress;
    }

    /** A session's place, given back once by {@link #release()}. */
    final class Admission {
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Admission(String address) {
            this.address = address;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                if (address != null) {
                    perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
                }
                open.decrementAndGet();
            }
        }
    }

    /**
     * Admits one more session from {@code address}.
     *
     * @param address the client's address, or {@code null} if unknown (then only the total cap applies)
     * @throws BudgetExhaustedException (1013) if a cap is reached; nothing is counted then
     */
    Admission admit(String address) {
        if (open.incrementAndGet() > maxSessions && maxSessions > 0) {
            open.decrementAndGet();
            throw new BudgetExhaustedException("sessions", maxSessions);
        }
        if (address != null && maxPerAddress > 0) {
            boolean[] admitted = {false};
            perAddress.compute(address, (key, count) -> {
                int now = count == null ? 0 : count;
                if (now >= maxPerAddress) {
                    return count;
                }
                admitted[0] = true;
                return now + 1;
            });
            if (!admitted[0]) {
                open.decrementAndGet();
                throw new BudgetExhaustedException("sessions per client address", maxPerAddress);
            }
            return new Admission(address);
        }
        return new Admission(null);
    }

    /** Sessions admitted and not yet released. */
    int open() {
        return open.get();
    }

    /** Client addresses with at least one admitted session. */
    int addresses() {
        return perAddress.size();
    }
}
