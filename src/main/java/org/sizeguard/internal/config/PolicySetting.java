package org.sizeguard.internal.config;

import java.time.Duration;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicy;
import org.sizeguard.StructureLimits;
import org.sizeguard.TransferLimits;

/**
 * The settings of a size policy, each declared once: its key, how its value is written, the bounds a value must lie
 * in, its default, the {@link SizePolicy} attribute that gives it on an endpoint, the name it is reported under (at
 * {@code /sizeguard/limits} and in the start-up log line), and its meaning. {@link PolicyResolver} reads every
 * setting through its declaration, {@link #policy} builds the {@link MessageSizePolicy} from the values, and the
 * README's configuration table and {@code docs/transfer-protocol.md} show the defaults and meanings exactly as
 * written here (a test compares them).
 * <p>
 * Keys: {@code sizeguard.<suffix>} for the default policy, {@code sizeguard.policy.<name>.<suffix>} for a named one
 * ({@link #key(String)}). A named policy's setting falls back to the default policy's value; the default policy's to
 * the built-in default. The stream caps fall back to the same policy's message limits instead.
 */
public enum PolicySetting implements Setting {
    MAX_TEXT_MESSAGE_SIZE("max-text-message-size", ValueType.SIZE, "maxTextMessageSize", "maxTextBytes",
            MessageSizePolicy::maxTextBytes, MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES,
            "limit of one text message taken whole, in UTF-8 bytes, for endpoints without a named policy; "
            + "the fallback of every named policy"),
    MAX_BINARY_MESSAGE_SIZE("max-binary-message-size", ValueType.SIZE, "maxBinaryMessageSize", "maxBinaryBytes",
            MessageSizePolicy::maxBinaryBytes, MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES,
            "limit of one binary message taken whole, in bytes; likewise"),
    MAX_TEXT_STREAM_SIZE("max-text-stream-size", ValueType.SIZE, "maxTextStreamSize", "maxTextStreamBytes",
            MessageSizePolicy::maxTextStreamBytes, MAX_TEXT_MESSAGE_SIZE, "the same policy's text message limit",
            "cap on the total of one text message taken as a stream (`Reader`, `Decoder.TextStream`) or in "
            + "parts (`String part, boolean last`)"),
    MAX_BINARY_STREAM_SIZE("max-binary-stream-size", ValueType.SIZE, "maxBinaryStreamSize", "maxBinaryStreamBytes",
            MessageSizePolicy::maxBinaryStreamBytes, MAX_BINARY_MESSAGE_SIZE, "the same policy's binary message limit",
            "cap on the total of one binary message taken as a stream (`InputStream`, "
            + "`Decoder.BinaryStream`) or in parts"),
    MESSAGE_COMPLETION_TIMEOUT("message-completion-timeout", ValueType.DURATION, "messageCompletionTimeout",
            "completionTimeoutMillis", policy -> policy.completionTimeout().toMillis(),
            MessageSizePolicy.DEFAULT_COMPLETION_TIMEOUT.toMillis(),
            "time a message may take from its first byte to its last; a message still incomplete then (its "
            + "next fragment never came, or it trickles too slowly) is ended with 1008 and released. `0` for "
            + "none"),
    MAX_NESTING_DEPTH("max-nesting-depth", ValueType.COUNT, "maxNestingDepth", "maxNestingDepth",
            policy -> policy.structure().maxDepth(), StructureLimits.DEFAULT_MAX_DEPTH, 0, Integer.MAX_VALUE,
            "deepest nesting of arrays and objects/maps Sizeguard's JSON and MessagePack decoders accept (a "
            + "count)"),
    MAX_ELEMENTS("max-elements", ValueType.COUNT, "maxElements", "maxElements",
            policy -> policy.structure().maxElements(), StructureLimits.DEFAULT_MAX_ELEMENTS,
            "most array items plus object/map entries in one JSON or MessagePack message (a count)"),
    MAX_VALUE_SIZE("max-value-size", ValueType.SIZE, "maxValueSize", "maxValueBytes",
            policy -> policy.structure().maxValueBytes(), StructureLimits.DEFAULT_MAX_VALUE_BYTES,
            "longest single string, key or binary value in a JSON or MessagePack message"),
    PERMESSAGE_DEFLATE("permessage-deflate", ValueType.SWITCH, "permessageDeflate", "permessageDeflate",
            policy -> policy.permessageDeflate() ? 1 : 0, MessageSizePolicy.DEFAULT_PERMESSAGE_DEFLATE ? 1 : 0,
            "negotiate permessage-deflate (RFC 7692) with a client that offers it, without context takeover in "
            + "either direction; inflated bytes count against the limits while they are inflated. On a server "
            + "without a Sizeguard adapter (neither Payara nor WildFly) it is never negotiated"),
    MAX_TRANSFER_SIZE("max-transfer-size", ValueType.SIZE, "maxTransferSize", "maxTransferBytes",
            policy -> policy.transfer().maxTransferBytes(), TransferLimits.DEFAULT_MAX_TRANSFER_BYTES,
            "on endpoints that take chunked transfers (`@OnTransfer`): the largest transfer, as its `start` "
            + "declares it; a larger one is refused with 1009 before any data"),
    TRANSFER_CHUNK_SIZE("transfer-chunk-size", ValueType.SIZE, "transferChunkSize", "transferChunkBytes",
            policy -> policy.transfer().chunkBytes(), TransferLimits.DEFAULT_CHUNK_BYTES, 1, Long.MAX_VALUE,
            ", at most the binary message limit − 13",
            "the most data bytes of one chunk of a transfer, as the server tells the client") {
        /** What the server tells the client: never more than a binary message can carry after the chunk header. */
        @Override
        public long reportedIn(MessageSizePolicy policy) {
            return policy.transfer().chunkBytesWithin(policy.maxBinaryBytes());
        }
    },
    TRANSFER_WINDOW("transfer-window", ValueType.COUNT, "transferWindow", "transferWindow",
            policy -> policy.transfer().window(), TransferLimits.DEFAULT_WINDOW, 1, 1_000_000, "",
            "how many chunks of a transfer a client may send before they are acknowledged (the credit window)"),
    MAX_TRANSFERS_PER_SESSION("max-transfers-per-session", ValueType.COUNT, "maxTransfersPerSession",
            "maxTransfersPerSession", policy -> policy.transfer().maxTransfersPerSession(),
            TransferLimits.DEFAULT_MAX_TRANSFERS_PER_SESSION, 1, 1_000_000, "",
            "the most transfers one session runs at once; one more is refused with 1008"),
    TRANSFER_RETENTION("transfer-retention", ValueType.DURATION, "transferRetention", "transferRetentionMillis",
            policy -> policy.transfer().retention().toMillis(), TransferLimits.DEFAULT_RETENTION.toMillis(),
            "how long an unfinished transfer is kept, with its spilled bytes, after its session ended, so that "
            + "a new session can resume it"),
    TRANSFER_DEADLINE("transfer-deadline", ValueType.DURATION, "transferDeadline", "transferDeadlineMillis",
            policy -> policy.transfer().deadline().toMillis(), TransferLimits.DEFAULT_DEADLINE.toMillis(),
            "how long a transfer may take from its `start` to its receipt, resumes included; one still "
            + "unfinished then is ended with 1008 and deleted");

    private static final String PREFIX = "sizeguard.";
    private static final String POLICY_PREFIX = "sizeguard.policy.";

    private final Declaration declaration;
    private final String annotationAttribute;
    private final ToLongFunction<MessageSizePolicy> value;
    private final long builtIn;
    /** The setting of the same policy this one falls back to, or {@code null}: the default policy's, then built in. */
    private final PolicySetting sameAs;

    /** A setting with a built-in default, any value the type allows. */
    PolicySetting(String suffix, ValueType type, String annotationAttribute, String reportName,
            ToLongFunction<MessageSizePolicy> value, long builtIn, String meaning) {
        this(suffix, type, annotationAttribute, reportName, value, builtIn, 0, Long.MAX_VALUE, "", meaning);
    }

    /** A setting with a built-in default within bounds. */
    PolicySetting(String suffix, ValueType type, String annotationAttribute, String reportName,
            ToLongFunction<MessageSizePolicy> value, long builtIn, long min, long max, String meaning) {
        this(suffix, type, annotationAttribute, reportName, value, builtIn, min, max, "", meaning);
    }

    /** A setting with a built-in default within bounds, whose shown default carries {@code note}. */
    PolicySetting(String suffix, ValueType type, String annotationAttribute, String reportName,
            ToLongFunction<MessageSizePolicy> value, long builtIn, long min, long max, String note, String meaning) {
        this(new Declaration(suffix, type, reportName, min, max, "`" + type.format(builtIn) + "`" + note, meaning),
                annotationAttribute, value, builtIn, null);
    }

    /** A setting whose default is another setting of the same policy. */
    PolicySetting(String suffix, ValueType type, String annotationAttribute, String reportName,
            ToLongFunction<MessageSizePolicy> value, PolicySetting sameAs, String defaultValue, String meaning) {
        this(new Declaration(suffix, type, reportName, 0, Long.MAX_VALUE, defaultValue, meaning), annotationAttribute,
                value, 0, sameAs);
    }

    PolicySetting(Declaration declaration, String annotationAttribute, ToLongFunction<MessageSizePolicy> value,
            long builtIn, PolicySetting sameAs) {
        this.declaration = declaration;
        this.annotationAttribute = annotationAttribute;
        this.value = value;
        this.builtIn = builtIn;
        this.sameAs = sameAs;
    }

    @Override
    public Declaration declaration() {
        return declaration;
    }

    /**
     * The key of this setting in policy {@code policyName}: {@code sizeguard.<suffix>} for the default policy,
     * {@code sizeguard.policy.<name>.<suffix>} for a named one.
     */
    public String key(String policyName) {
        return MessageSizePolicy.DEFAULT_NAME.equals(policyName) ? PREFIX + suffix()
                : POLICY_PREFIX + policyName + "." + suffix();
    }

    /** Whether {@code key} is this setting's key in some policy. */
    boolean isKeyOf(String key) {
        return key.equals(PREFIX + suffix()) || key.startsWith(POLICY_PREFIX) && key.endsWith("." + suffix());
    }

    /** The {@link SizePolicy} attribute that gives this setting on an endpoint, e.g. {@code maxTextMessageSize}. */
    public String annotationAttribute() {
        return annotationAttribute;
    }

    /**
     * The value this setting takes when nothing configures it, given the settings of the same policy resolved so far
     * (declaration order) and the policy a named one inherits from ({@code null} for the default policy itself).
     */
    long fallback(Map<PolicySetting, Long> resolved, MessageSizePolicy inherited) {
        if (sameAs != null) {
            return resolved.get(sameAs);
        }
        return inherited == null ? builtIn : value.applyAsLong(inherited);
    }

    /**
     * The effective value in {@code policy}, as reported: bytes for sizes, milliseconds for durations, the count, or
     * 1 and 0 for a switch that is on or off.
     */
    public long reportedIn(MessageSizePolicy policy) {
        return value.applyAsLong(policy);
    }

    /** The report value of {@code setting} in {@code policy} as JSON-ready: a boolean for a switch, else a number. */
    public Object reportValueIn(MessageSizePolicy policy) {
        long reported = reportedIn(policy);
        return type() == ValueType.SWITCH ? (Object) (reported != 0) : (Object) reported;
    }

    /** The policy called {@code name} with {@code values}, one for every setting. */
    static MessageSizePolicy policy(String name, Map<PolicySetting, Long> values) {
        StructureLimits structure = new StructureLimits(Math.toIntExact(values.get(MAX_NESTING_DEPTH)),
                values.get(MAX_ELEMENTS), values.get(MAX_VALUE_SIZE));
        TransferLimits transfer = new TransferLimits(values.get(MAX_TRANSFER_SIZE), values.get(TRANSFER_CHUNK_SIZE),
                Math.toIntExact(values.get(TRANSFER_WINDOW)), Math.toIntExact(values.get(MAX_TRANSFERS_PER_SESSION)),
                Duration.ofMillis(values.get(TRANSFER_RETENTION)), Duration.ofMillis(values.get(TRANSFER_DEADLINE)));
        return new MessageSizePolicy(name, values.get(MAX_TEXT_MESSAGE_SIZE), values.get(MAX_BINARY_MESSAGE_SIZE),
                values.get(MAX_TEXT_STREAM_SIZE), values.get(MAX_BINARY_STREAM_SIZE),
                Duration.ofMillis(values.get(MESSAGE_COMPLETION_TIMEOUT)), structure,
                values.get(PERMESSAGE_DEFLATE) != 0, transfer);
    }
}
