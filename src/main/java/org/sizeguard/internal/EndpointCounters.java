package org.sizeguard.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardStats.EndpointCounts;

/**
 * The counters of one guarded endpoint behind {@link EndpointCounts}: its sessions' sinks count messages and bytes
 * here as they pass the limits, its rejection path counts refusals by close code. Thread-safe and cheap: a
 * {@link LongAdder} per number, no lock, nothing that can fail on a message's thread.
 */
final class EndpointCounters {

    /** The close codes Sizeguard refuses with (DESIGN.md), counted from zero so that a scrape shows them all. */
    static final int[] REFUSAL_CODES = {1002, 1003, 1007, 1008, 1009, 1013};

    private final String path;
    private final Map<MessageKind, LongAdder> messages = new EnumMap<>(MessageKind.class);
    private final Map<MessageKind, LongAdder> bytes = new EnumMap<>(MessageKind.class);
    private final Map<Integer, LongAdder> refusals = new ConcurrentHashMap<>();
    private final LongAdder deadlineExpiries = new LongAdder();

    EndpointCounters(String path) {
        this.path = path;
        for (MessageKind kind : MessageKind.values()) {
            messages.put(kind, new LongAdder());
            bytes.put(kind, new LongAdder());
        }
        for (int code : REFUSAL_CODES) {
            refusals.put(code, new LongAdder());
        }
    }

    String path() {
        return path;
    }

    /** {@code partBytes} of a message of {@code kind} passed the limit; {@code last}: the message is complete. */
    void received(MessageKind kind, long partBytes, boolean last) {
        if (partBytes > 0) {
            bytes.get(kind).add(partBytes);
        }
        if (last) {
            messages.get(kind).increment();
        }
    }

    /** A session of this endpoint was closed with {@code closeCode} for something its client did. */
    void refused(int closeCode) {
        refusals.computeIfAbsent(closeCode, code -> new LongAdder()).increment();
    }

    /** A message or a transfer was not completed within its deadline. */
    void deadlineExpired() {
        deadlineExpiries.increment();
    }

    long messages(MessageKind kind) {
        return messages.get(kind).sum();
    }

    long bytes(MessageKind kind) {
        return bytes.get(kind).sum();
    }

    /** Refusals so far with {@code closeCode}. */
    long refusals(int closeCode) {
        LongAdder count = refusals.get(closeCode);
        return count == null ? 0 : count.sum();
    }

    long deadlineExpiries() {
        return deadlineExpiries.sum();
    }

    EndpointCounts snapshot() {
        Map<MessageKind, Long> messageCounts = new EnumMap<>(MessageKind.class);
        Map<MessageKind, Long> byteCounts = new EnumMap<>(MessageKind.class);
        for (MessageKind kind : MessageKind.values()) {
            messageCounts.put(kind, messages(kind));
            byteCounts.put(kind, bytes(kind));
        }
        Map<Integer, Long> refusalCounts = new TreeMap<>();
        refusals.forEach((code, count) -> refusalCounts.put(code, count.sum()));
        return new EndpointCounts(path, messageCounts, byteCounts, refusalCounts, deadlineExpiries());
    }
}
