package org.sizeguard;

/**
 * The size limits that apply to the messages of one endpoint.
 * <p>
 * A message whose size exceeds its limit is rejected with close code 1009 before the endpoint sees it.
 * A limit of {@code 0} admits only empty messages of that kind. Instances are immutable and thread-safe;
 * endpoints, decoders and configurators can {@code @Inject} the policy that applies to them.
 *
 * @param name           the policy's name: {@value #DEFAULT_NAME} or the name an endpoint selects with
 *                       {@link SizePolicy}
 * @param maxTextBytes   the largest text message accepted, in UTF-8 bytes
 * @param maxBinaryBytes the largest binary message accepted, in bytes
 */
public record MessageSizePolicy(String name, long maxTextBytes, long maxBinaryBytes) {

    /** The name of the policy that applies to endpoints that do not select one. */
    public static final String DEFAULT_NAME = "default";

    /** Built-in text limit: 64 KiB. */
    public static final long DEFAULT_MAX_TEXT_BYTES = 64L * 1024;

    /** Built-in binary limit: 1 MiB. */
    public static final long DEFAULT_MAX_BINARY_BYTES = 1024L * 1024;

    public MessageSizePolicy {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a policy needs a name");
        }
        if (maxTextBytes < 0 || maxBinaryBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative: text " + maxTextBytes
                    + ", binary " + maxBinaryBytes);
        }
    }

    /** The limit for messages of {@code kind}, in bytes. */
    public long limit(MessageKind kind) {
        return kind == MessageKind.TEXT ? maxTextBytes : maxBinaryBytes;
    }
}
