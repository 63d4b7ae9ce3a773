package org.sizeguard;

import java.time.Duration;

/**
 * The size limits that apply to the messages of one endpoint.
 * <p>
 * A message whose size exceeds its limit is rejected with close code 1009 before the endpoint sees more of it.
 * Which limit applies depends on how the endpoint takes the message: a whole-message {@code @OnMessage} method
 * ({@code String}, {@code byte[]}, {@code ByteBuffer}, a {@code Decoder.Text} or {@code Decoder.Binary} type) is
 * held to the <em>message</em> limit; a method that takes the message as a stream or in parts ({@code Reader},
 * {@code InputStream}, a {@code Decoder.TextStream} or {@code Decoder.BinaryStream} type, {@code boolean last})
 * never holds the whole message, and is held to the <em>stream</em> limit, the cap on the message's total. A
 * message that is not complete within the completion timeout after its first byte is ended with 1008.
 * A limit of {@code 0} admits only empty messages of that kind. Instances are immutable and thread-safe;
 * endpoints, decoders and configurators can {@code @Inject} the policy that applies to them.
 *
 * @param name                 the policy's name: {@value #DEFAULT_NAME} or the name an endpoint selects with
 *                             {@link SizePolicy}
 * @param maxTextBytes         the largest text message accepted whole, in UTF-8 bytes
 * @param maxBinaryBytes       the largest binary message accepted whole, in bytes
 * @param maxTextStreamBytes   the largest text message accepted as a stream or in parts, in UTF-8 bytes
 * @param maxBinaryStreamBytes the largest binary message accepted as a stream or in parts, in bytes
 * @param completionTimeout    how long a message may take from its first byte to its last;
 *                             {@link Duration#ZERO} for no deadline
 * @param structure            limits on the shape of JSON and MessagePack messages, checked by Sizeguard's decoders
 * @param permessageDeflate    whether permessage-deflate (RFC 7692) is negotiated with a client that offers it;
 *                             the limits then count inflated bytes
 * @param transfer             the limits of chunked transfers, on endpoints that take them
 */
public record MessageSizePolicy(String name, long maxTextBytes, long maxBinaryBytes, long maxTextStreamBytes,
        long maxBinaryStreamBytes, Duration completionTimeout, StructureLimits structure, boolean permessageDeflate,
        TransferLimits transfer) {

    /** The name of the policy that applies to endpoints that do not select one. */
    public static final String DEFAULT_NAME = "default";

    /** Built-in text limit: 64 KiB. */
    public static final long DEFAULT_MAX_TEXT_BYTES = 64L * 1024;

    /** Built-in binary limit: 1 MiB. */
    public static final long DEFAULT_MAX_BINARY_BYTES = 1024L * 1024;

    /** Built-in completion timeout: 30 seconds. */
    public static final Duration DEFAULT_COMPLETION_TIMEOUT = Duration.ofSeconds(30);

    /** Built-in: permessage-deflate is negotiated with clients that offer it. */
    public static final boolean DEFAULT_PERMESSAGE_DEFLATE = true;

    /**
     * The built-in policy, {@value #DEFAULT_NAME}: {@link #DEFAULT_MAX_TEXT_BYTES} and
     * {@link #DEFAULT_MAX_BINARY_BYTES} for whole messages and streams alike, and the other built-in values. It
     * applies where no policy is configured or known, e.g. to a decoder used before Sizeguard has initialised the
     * application.
     */
    public static final MessageSizePolicy DEFAULTS =
            new MessageSizePolicy(DEFAULT_NAME, DEFAULT_MAX_TEXT_BYTES, DEFAULT_MAX_BINARY_BYTES);

    public MessageSizePolicy {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a policy needs a name");
        }
        if (maxTextBytes < 0 || maxBinaryBytes < 0 || maxTextStreamBytes < 0 || maxBinaryStreamBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative: text " + maxTextBytes + ", binary "
                    + maxBinaryBytes + ", text stream " + maxTextStreamBytes + ", binary stream "
                    + maxBinaryStreamBytes);
        }
        if (completionTimeout == null || completionTimeout.isNegative()) {
            throw new IllegalArgumentException("the completion timeout must not be negative: " + completionTimeout);
        }
        if (structure == null || transfer == null) {
            throw new IllegalArgumentException("a policy needs structure and transfer limits");
        }
    }

    /** A policy with the built-in transfer limits. */
    public MessageSizePolicy(String name, long maxTextBytes, long maxBinaryBytes, long maxTextStreamBytes,
            long maxBinaryStreamBytes, Duration completionTimeout, StructureLimits structure, boolean permessageDeflate) {
        this(name, maxTextBytes, maxBinaryBytes, maxTextStreamBytes, maxBinaryStreamBytes, completionTimeout,
                structure, permessageDeflate, TransferLimits.DEFAULTS);
    }

    /** A policy that negotiates permessage-deflate as built in ({@value #DEFAULT_PERMESSAGE_DEFLATE}). */
    public MessageSizePolicy(String name, long maxTextBytes, long maxBinaryBytes, long maxTextStreamBytes,
            long maxBinaryStreamBytes, Duration completionTimeout, StructureLimits structure) {
        this(name, maxTextBytes, maxBinaryBytes, maxTextStreamBytes, maxBinaryStreamBytes, completionTimeout,
                structure, DEFAULT_PERMESSAGE_DEFLATE);
    }

    /** A policy with the built-in structure limits. */
    public MessageSizePolicy(String name, long maxTextBytes, long maxBinaryBytes, long maxTextStreamBytes,
            long maxBinaryStreamBytes, Duration completionTimeout) {
        this(name, maxTextBytes, maxBinaryBytes, maxTextStreamBytes, maxBinaryStreamBytes, completionTimeout,
                StructureLimits.DEFAULTS);
    }

    /**
     * A policy whose stream limits equal its message limits, with the built-in completion timeout and structure
     * limits.
     */
    public MessageSizePolicy(String name, long maxTextBytes, long maxBinaryBytes) {
        this(name, maxTextBytes, maxBinaryBytes, maxTextBytes, maxBinaryBytes, DEFAULT_COMPLETION_TIMEOUT);
    }

    /** The limit for whole messages of {@code kind}, in bytes. */
    public long limit(MessageKind kind) {
        return kind == MessageKind.TEXT ? maxTextBytes : maxBinaryBytes;
    }

    /** The cap on the total of a message of {@code kind} taken as a stream or in parts, in bytes. */
    public long streamLimit(MessageKind kind) {
        return kind == MessageKind.TEXT ? maxTextStreamBytes : maxBinaryStreamBytes;
    }

    /** {@link #streamLimit(MessageKind)} if {@code streamed}, else {@link #limit(MessageKind)}. */
    public long limit(MessageKind kind, boolean streamed) {
        return streamed ? streamLimit(kind) : limit(kind);
    }
}
