package org.sizeguard.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.sizeguard.internal.ServerLimits;


/**
 * The settings of the whole application, shared by every endpoint ({@code sizeguard.<suffix>} only; not per policy),
 * each declared once like a {@link PolicySetting}: key, type, bounds, default, report name and meaning. See
 * {@link ServerLimits}.
 */
public enum ServerSetting implements Setting {
    MAX_BUFFERED_BYTES("max-buffered-bytes", ValueType.SIZE, "maxBufferedBytes", ServerLimits::maxBufferedBytes,
            ServerLimits::defaultMaxBufferedBytes, 1, "a quarter of the JVM's maximum heap",
            "server-wide: the most bytes Sizeguard holds at once for all messages in progress and queued "
            + "replies (capacity, not just content); a session that would exceed it is closed with 1013. "
            + "Application-wide only, not per policy"),
    MAX_CONCURRENT_STREAMS("max-concurrent-streams", ValueType.COUNT, "maxConcurrentStreams",
            ServerLimits::maxConcurrentStreams, ServerLimits.DEFAULT_MAX_CONCURRENT_STREAMS, 0, 1_000_000, "",
            "server-wide: the most endpoint methods reading a message as a stream at once, each on a thread "
            + "of Sizeguard's pool; a stream that finds no slot is closed with 1013. Also bounds how many "
            + "container threads can wait for a slow reader"),
    MAX_OUTBOUND_BUFFERED_BYTES("max-outbound-buffered-bytes", ValueType.SIZE, "maxOutboundBufferedBytes",
            ServerLimits::maxOutboundBytes, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, 1, Long.MAX_VALUE, "",
            "per session: the most bytes of replies queued and not yet written (text counted at two bytes "
            + "per char); a reply that would exceed it fails and closes the session with 1008"),
    SEND_TIMEOUT("send-timeout", ValueType.DURATION, "sendTimeoutMillis", limits -> limits.sendTimeout().toMillis(),
            ServerLimits.DEFAULT_SEND_TIMEOUT.toMillis(), 0, Long.MAX_VALUE, "",
            "per session: the longest a reply may take to be written; one still pending then closes the "
            + "session with 1008. `0` for none"),
    MAX_SESSIONS("max-sessions", ValueType.COUNT, "maxSessions", ServerLimits::maxSessions,
            0, 0, Integer.MAX_VALUE, " (no cap)",
            "application-wide: the most guarded sessions open at once; a session beyond it is closed with "
            + "1013 before the endpoint sees it"),
    MAX_SESSIONS_PER_ADDRESS("max-sessions-per-address", ValueType.COUNT, "maxSessionsPerAddress",
            ServerLimits::maxSessionsPerAddress, 0, 0, Integer.MAX_VALUE, " (no cap)",
            "application-wide: the most guarded sessions open at once from one client address "
            + "(`getRemoteAddr()` of the handshake); beyond it, 1013 likewise"),
    MAX_CONCURRENT_TRANSFERS("max-concurrent-transfers", ValueType.COUNT, "maxConcurrentTransfers",
            ServerLimits::maxConcurrentTransfers, ServerLimits.DEFAULT_MAX_CONCURRENT_TRANSFERS, 0, Integer.MAX_VALUE,
            "",
            "application-wide: the most chunked transfers in progress at once, resumable ones included; one "
            + "more is refused with 1013"),
    MAX_SPILL_SIZE("max-spill-size", ValueType.SIZE, "maxSpillBytes", ServerLimits::maxSpillBytes,
            ServerLimits.DEFAULT_MAX_SPILL_BYTES, 0, Long.MAX_VALUE, "",
            "application-wide: the most bytes of unfinished transfers on disk, reserved for each transfer's "
            + "whole declared size at its `start`; a transfer beyond it is refused with 1013"),
    /** Its value is a path, not a number: see {@link PolicyResolver#serverLimits(String)}. */
    TRANSFER_DIRECTORY("transfer-directory", ValueType.PATH, "transferDirectory", ServerLimits::transferDirectory,
            () -> 0, 0, "`sizeguard-transfers/<context root>` in `java.io.tmpdir`",
            "application-wide: the directory unfinished transfers are spilled to; Sizeguard owns it and deletes "
            + "its left-overs at start-up. Give each application a directory of its own");

    private static final String PREFIX = "sizeguard.";

    private final Declaration declaration;
    private final Function<ServerLimits, Object> value;
    private final LongSupplier builtIn;

    /** A setting with a constant built-in default, shown as the configuration would write it, then {@code note}. */
    ServerSetting(String suffix, ValueType type, String reportName, Function<ServerLimits, Object> value,
            long builtIn, long min, long max, String note, String meaning) {
        this(new Declaration(suffix, type, reportName, min, max, "`" + type.format(builtIn) + "`" + note, meaning),
                value, () -> builtIn);
    }

    /** A setting whose built-in default depends on the server, described in words. */
    ServerSetting(String suffix, ValueType type, String reportName, Function<ServerLimits, Object> value,
            LongSupplier builtIn, long min, String defaultValue, String meaning) {
        this(new Declaration(suffix, type, reportName, min, Long.MAX_VALUE, defaultValue, meaning), value, builtIn);
    }

    ServerSetting(Declaration declaration, Function<ServerLimits, Object> value, LongSupplier builtIn) {
        this.declaration = declaration;
        this.value = value;
        this.builtIn = builtIn;
    }

    @Override
    public Declaration declaration() {
        return declaration;
    }

    /** The key, e.g. {@code sizeguard.max-buffered-bytes}. */
    public String key() {
        return PREFIX + suffix();
    }

    /** The built-in default, for a number-valued setting. */
    long builtIn() {
        return builtIn.getAsLong();
    }

    /**
     * The effective value in {@code limits}: bytes for sizes, milliseconds for durations, the count, or the
     * directory.
     */
    public Object reportedIn(ServerLimits limits) {
        Object effective = value.apply(limits);
        return effective instanceof Duration duration ? duration.toMillis() : effective;
    }

    /** The limits with {@code values}, one for every number-valued setting, and {@code directory}. */
    static ServerLimits limits(Map<ServerSetting, Long> values, Path directory) {
        return new ServerLimits(values.get(MAX_BUFFERED_BYTES), Math.toIntExact(values.get(MAX_CONCURRENT_STREAMS)),
                values.get(MAX_OUTBOUND_BUFFERED_BYTES), Duration.ofMillis(values.get(SEND_TIMEOUT)),
                Math.toIntExact(values.get(MAX_SESSIONS)), Math.toIntExact(values.get(MAX_SESSIONS_PER_ADDRESS)),
                Math.toIntExact(values.get(MAX_CONCURRENT_TRANSFERS)), values.get(MAX_SPILL_SIZE), directory);
    }
}
