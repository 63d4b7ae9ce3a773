package org.sizeguard.codec;

import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;

/**
 * The {@link StructureLimits} of one structured message, checked as its decoder reads it: the one place where
 * nesting, elements and value lengths are held to their limits, fed by the JSON, MessagePack and Protocol Buffers
 * decoders. Each check throws {@link StructureTooBigException} (1009) with a reason naming the format, the rule and
 * the limit, in the words each format has always used ({@link Format}).
 * <p>
 * The counter keeps the one thing that spans the message, its element count; depth and lengths are the caller's to
 * measure, since each format sees them differently (a JSON level opens with a bracket, a MessagePack one with a
 * header, a Protocol Buffers one with a field). One counter per message, used by the thread that reads it.
 */
final class StructureCounter {

    /** A structured format and the phrases of its reasons. */
    enum Format {
        /** {@code "JSON has more than 100000 elements"}, {@code "JSON string exceeds 1048576 bytes"}. */
        JSON("JSON") {
            @Override
            String tooManyElements(long elements, long limit) {
                return "JSON has more than " + limit + " elements";
            }

            @Override
            String tooLong(String value, long bytes, long limit) {
                return "JSON " + value + " exceeds " + limit + " bytes";
            }
        },
        /** {@code "MessagePack message of 100001 elements exceeds 100000 elements"}. */
        MESSAGE_PACK("MessagePack"),
        /** {@code "Protocol Buffers message of 101 elements exceeds 100 elements"}. */
        PROTOCOL_BUFFERS("Protocol Buffers");

        private final String name;

        Format(String name) {
            this.name = name;
        }

        String tooDeep(int limit) {
            return name + " nesting exceeds " + limit + " levels";
        }

        String tooManyElements(long elements, long limit) {
            return name + " message of " + elements + " elements exceeds " + limit + " elements";
        }

        String tooManyDeclared(String declaration, long limit) {
            return name + " " + declaration + " exceeds " + limit + " elements";
        }

        String tooLong(String value, long bytes, long limit) {
            return name + " " + value + " of " + bytes + " bytes exceeds " + limit + " bytes";
        }
    }

    private final Format format;
    private final StructureLimits limits;
    private final int maxDepth;
    private long elements;

    /**
     * @param format   the format read, which names it in reasons
     * @param limits   the limits to hold the message to
     * @param depthCap the deepest nesting the decoder can handle at all, whatever {@code limits} says; the depth
     *                 limit is the smaller of the two
     */
    StructureCounter(Format format, StructureLimits limits, int depthCap) {
        this.format = format;
        this.limits = limits;
        this.maxDepth = Math.min(limits.maxDepth(), depthCap);
    }

    /** The deepest nesting accepted: {@link StructureLimits#maxDepth()}, at most the decoder's cap. */
    int maxDepth() {
        return maxDepth;
    }

    /** The elements counted so far. */
    long elements() {
        return elements;
    }

    /**
     * Checks a level about to be entered, before anything is allocated for it.
     *
     * @param depth the level's depth, the outermost container being level 1
     * @throws StructureTooBigException if {@code depth} is deeper than {@link #maxDepth()}
     */
    void requireDepth(int depth) {
        if (depth > maxDepth) {
            throw new StructureTooBigException(format.tooDeep(maxDepth));
        }
    }

    /**
     * Counts {@code more} elements (array items, object members or map entries, fields) into the message's total.
     *
     * @throws StructureTooBigException if the total exceeds {@link StructureLimits#maxElements()}
     */
    void count(long more) {
        elements += more;
        if (elements > limits.maxElements()) {
            throw new StructureTooBigException(format.tooManyElements(elements, limits.maxElements()));
        }
    }

    /**
     * Checks the element count one container declares, before slots are allocated for it (and before it is
     * {@link #count(long) counted}).
     *
     * @param declaration how the reason names the container, e.g. {@code "map of 7 entries"}
     * @throws StructureTooBigException if {@code declared} exceeds {@link StructureLimits#maxElements()}
     */
    void requireDeclared(String declaration, long declared) {
        if (declared > limits.maxElements()) {
            throw new StructureTooBigException(format.tooManyDeclared(declaration, limits.maxElements()));
        }
    }

    /**
     * Checks one value's length against {@link StructureLimits#maxValueBytes()}.
     *
     * @param value how the reason names the value, e.g. {@code "string"}
     * @param bytes its length in bytes (UTF-8 bytes for text)
     * @throws StructureTooBigException if {@code bytes} exceeds the limit
     */
    void requireValue(String value, long bytes) {
        requireValue(value, bytes, Long.MAX_VALUE);
    }

    /**
     * Checks one value's length against {@link StructureLimits#maxValueBytes()} or {@code cap}, whichever is
     * smaller.
     *
     * @param cap a stricter limit the decoder keeps for this kind of value, e.g. for number literals
     * @throws StructureTooBigException if {@code bytes} exceeds that limit
     */
    void requireValue(String value, long bytes, long cap) {
        long limit = Math.min(limits.maxValueBytes(), cap);
        if (bytes > limit) {
            throw new StructureTooBigException(format.tooLong(value, bytes, limit));
        }
    }
}
