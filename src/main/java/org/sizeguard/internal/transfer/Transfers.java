package org.sizeguard.internal.transfer;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.sizeguard.internal.ServerLimits;
import org.sizeguard.internal.transfer.TransferStore.Description;
import org.sizeguard.internal.transfer.TransferStore.Stored;
import org.sizeguard.transfer.TransferRefusedException;

/**
 * The application's chunked transfers: who holds each (a session, or nobody while it waits for a resume), the
 * server-wide limits ({@code max-concurrent-transfers}, {@code max-spill-size}), deadlines and retention. Every
 * transfer reserves its whole declared size of spill space at its start, released when it is removed, so the disk
 * never holds more than the limit. Thread-safe: sessions call it on their container threads, {@link #sweep} comes
 * from an expiry thread about once a second.
 */
public final class Transfers {

    private static final Logger LOG = Logger.getLogger(Transfers.class.getName());

    /** A session that holds transfers, told when the sweep ends one of them or a resume takes one over. */
    interface Holder {
        /** Transfer {@code id}, held by this holder, passed its deadline and was removed. */
        void expired(String id);

        /** Transfer {@code id} was resumed on another connection, which holds it from now on. */
        void takenOver(String id);
    }

    private final TransferStore store;
    private final ServerLimits limits;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Holding> holdings = new ConcurrentHashMap<>();
    private final AtomicLong spillReserved = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final LongAdder resumes = new LongAdder();

    /** How a transfer ended, counted by {@link #remove(String, Outcome)}. */
    public enum Outcome {
        /** Verified and handed to the application, which took it. */
        COMPLETED,
        /** Refused for breaking a rule or by the application. */
        FAILED,
        /** Past its deadline, or not resumed within its retention. */
        EXPIRED,
        /** Cancelled by its client. */
        CANCELLED
    }

    /** Who holds a transfer, and since when nobody does (for retention). */
    private static final class Holding {
        Holder holder;
        Instant releasedAt;
        java.time.Duration retention;
        /** Being handed to the application: the sweep leaves it to the session, which removes it afterwards. */
        boolean delivering;
    }

    public Transfers(TransferStore store, ServerLimits limits, Clock clock) {
        this.store = store;
        this.limits = limits;
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    /** A new transfer's description and its resume token, once {@link #start} has stored it. */
    record Started(Stored stored, String token) {
    }

    /**
     * Stores a new transfer held by {@code holder}.
     *
     * @param id the client's id, or {@code null} for one the server issues
     * @throws TransferRefusedException 1013 when a server-wide limit is reached, 1008 when the id is in use
     */
    Started start(String id, long size, String name, String contentType, String declaredSha256,
            java.time.Duration deadline, java.time.Duration retention, Holder holder) {
        if (count.incrementAndGet() > limits.maxConcurrentTransfers()) {
            count.decrementAndGet();
            throw TransferRefusedException.serverFull("server limit of " + limits.maxConcurrentTransfers()
                    + " transfers at once is reached");
        }
        if (spillReserved.addAndGet(size) > limits.maxSpillBytes()) {
            giveBack(size);
            throw TransferRefusedException.serverFull("server budget of " + limits.maxSpillBytes()
                    + " spill bytes is spent");
        }
        String token = randomText(32);
        Description description = new Description(id != null ? id : randomText(16), size, name, contentType,
                declaredSha256, digest(token), clock.instant().plus(deadline));
        Optional<Stored> stored;
        try {
            stored = store.create(description);
        } catch (IOException failed) {
            giveBack(size);
            LOG.log(Level.WARNING, "SIZEGUARD-013: cannot spill a transfer to " + limits.transferDirectory(), failed);
            throw TransferRefusedException.serverFull("server cannot store transfers now");
        }
        if (stored.isEmpty()) {
            giveBack(size);
            throw new TransferRefusedException("transfer id already in use");
        }
        Holding holding = new Holding();
        holding.holder = holder;
        holding.retention = retention;
        holdings.put(description.id(), holding);
        return new Started(stored.get(), token);
    }

    /**
     * The transfer {@code id} for {@code holder}, which resumes it with {@code token}.
     *
     * A session that still holds it (its connection dropped, and the server has not noticed yet) loses it: whoever
     * has the token is the client.
     *
     * @throws TransferRefusedException 1008 if there is no such transfer or the token is wrong
     */
    Stored resume(String id, String token, Holder holder) {
        Optional<Stored> stored = store.find(id);
        Holding holding = holdings.get(id);
        if (stored.isEmpty() || holding == null
                || !MessageDigest.isEqual(stored.get().description().tokenDigest(), digest(token))) {
            throw unknown();
        }
        Holder previous;
        synchronized (holding) {
            previous = holding.holder;
            holding.holder = holder;
            holding.releasedAt = null;
        }
        if (previous != null && previous != holder) {
            previous.takenOver(id);
        }
        resumes.increment();
        return stored.get();
    }

    /** The transfer {@code id} if {@code holder} holds it. */
    Optional<Stored> heldBy(String id, Holder holder) {
        Holding holding = holdings.get(id);
        if (holding == null) {
            return Optional.empty();
        }
        synchronized (holding) {
            return holding.holder == holder ? store.find(id) : Optional.empty();
        }
    }

    /** Transfer {@code id} is being handed to the application: from now on only its session removes it. */
    void delivering(String id) {
        Holding holding = holdings.get(id);
        if (holding != null) {
            synchronized (holding) {
                holding.delivering = true;
            }
        }
    }

    /** {@code holder}'s session ended without finishing transfer {@code id}: kept for its retention, for a resume. */
    void release(String id, Holder holder) {
        Holding holding = holdings.get(id);
        if (holding != null) {
            synchronized (holding) {
                if (holding.holder == holder) {
                    holding.holder = null;
                    holding.releasedAt = clock.instant();
                }
            }
        }
    }

    /** Deletes transfer {@code id} and its bytes, gives back its spill space and counts how it ended. */
    void remove(String id, Outcome outcome) {
        if (remove(id)) {
            outcomes.get(outcome).increment();
        }
    }

    /** Deletes transfer {@code id}, uncounted; whether it was there. */
    private boolean remove(String id) {
        Holding holding = holdings.remove(id);
        if (holding == null) {
            return false;
        }
        long size = store.find(id).map(stored -> stored.description().size()).orElse(0L);
        store.remove(id);
        giveBack(size);
        return true;
    }

    private void giveBack(long spill) {
        spillReserved.addAndGet(-spill);
        count.decrementAndGet();
    }

    /** Ends transfers past their deadline and unheld ones past their retention. Any thread. */
    public void sweep() {
        Instant now = clock.instant();
        for (Stored stored : store.all()) {
            String id = stored.description().id();
            Holding holding = holdings.get(id);
            if (holding == null) {
                continue;
            }
            Holder expiredHolder = null;
            boolean expired;
            synchronized (holding) {
                if (holding.delivering) {
                    continue;
                }
                boolean pastDeadline = now.isAfter(stored.description().deadline());
                boolean pastRetention = holding.holder == null && holding.releasedAt != null
                        && now.isAfter(holding.releasedAt.plus(holding.retention));
                expired = pastDeadline || pastRetention;
                if (expired && pastDeadline) {
                    expiredHolder = holding.holder;
                }
            }
            if (expired) {
                remove(id, Outcome.EXPIRED);
                if (expiredHolder != null) {
                    expiredHolder.expired(id);
                }
            }
        }
    }

    /** Transfers stored now, held or waiting for a resume. */
    public int active() {
        return count.get();
    }

    /** Spill space reserved now, in bytes. */
    public long spillBytes() {
        return spillReserved.get();
    }

    /** Transfers that ended so far with {@code outcome}. */
    public long ended(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** Resumes accepted so far. */
    public long resumed() {
        return resumes.sum();
    }

    /** Deletes every transfer (the application stops). */
    public void clear() {
        holdings.keySet().forEach(id -> remove(id));
    }

    /** Deletes every stored transfer and what an earlier run left behind, at start-up. */
    public void clearStore() throws IOException {
        clear();
        store.clear();
    }

    private String randomText(int bytes) {
        byte[] secret = new byte[bytes];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static TransferRefusedException unknown() {
        return new TransferRefusedException("unknown transfer or wrong resume token");
    }
}
