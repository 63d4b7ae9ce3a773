package org.sizeguard;

/**
 * Limits on the shape of a structured message (JSON, MessagePack) that Sizeguard's decoders check while they
 * read, before they allocate what the input declares. Exceeding one ends the session with 1009 and a reason
 * naming the rule ({@link StructureTooBigException}).
 *
 * @param maxDepth      the deepest nesting of arrays and objects/maps accepted; default {@value #DEFAULT_MAX_DEPTH}
 * @param maxElements   the most array elements plus object/map entries accepted in one message, counted over the
 *                      whole message; default {@value #DEFAULT_MAX_ELEMENTS}
 * @param maxValueBytes the longest single string (UTF-8 bytes) or binary value accepted; default
 *                      {@value #DEFAULT_MAX_VALUE_BYTES}
 */
public record StructureLimits(int maxDepth, long maxElements, long maxValueBytes) {

    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final long DEFAULT_MAX_ELEMENTS = 100_000;
    public static final long DEFAULT_MAX_VALUE_BYTES = 1024L * 1024;

    /** The built-in limits. */
    public static final StructureLimits DEFAULTS =
            new StructureLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_VALUE_BYTES);

    public StructureLimits {
        if (maxDepth < 0 || maxElements < 0 || maxValueBytes < 0) {
            throw new IllegalArgumentException("structure limits must not be negative: depth " + maxDepth
                    + ", elements " + maxElements + ", value bytes " + maxValueBytes);
        }
    }
}
