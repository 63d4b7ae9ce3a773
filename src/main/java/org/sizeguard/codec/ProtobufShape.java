package org.sizeguard.codec;

import java.io.IOException;
import java.nio.ByteBuffer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;

/**
 * Walks the wire format of one Protocol Buffers message with its schema, checking its shape against
 * {@link StructureLimits} before protobuf-java builds anything from it. protobuf-java refuses lengths beyond the
 * input and nesting beyond its recursion limit, but not many small fields: a 1 MiB message of 500,000 empty
 * sub-messages or unknown fields becomes tens of MiB of objects. The walk counts what the parser would build.
 * <p>
 * The rules ({@link StructureTooBigException}, 1009):
 * <ul>
 * <li>Nesting: the message is level 1, each sub-message, map entry and group one level deeper, at most
 * {@code maxDepth} levels ({@code "Protocol Buffers nesting exceeds 8 levels"}). protobuf-java's parser counts
 * the same levels.</li>
 * <li>Elements: every field occurrence, and every element of a packed repeated field, counted over the whole
 * message, at most {@link StructureLimits#maxElements()}
 * ({@code "Protocol Buffers message of 101 elements exceeds 100 elements"}).</li>
 * <li>Values: a string, bytes or unknown length-delimited field at most {@link StructureLimits#maxValueBytes()}
 * bytes ({@code "Protocol Buffers field data of 2000 bytes exceeds 64 bytes"}).</li>
 * </ul>
 * Malformed wire data (a length beyond the input, a bad varint, an invalid wire type or tag, a group that does not
 * end) is reported as the {@link InvalidProtocolBufferException} the parser would throw. Unknown fields are
 * walked as the parser keeps them: length-delimited ones as opaque bytes, groups level by level.
 * <p>
 * Recursion is bounded by {@code maxDepth}; instances are immutable and thread-safe.
 */
final class ProtobufShape {

    private final StructureLimits limits;
    private final int maxDepth;

    /** @param maxDepth the deepest nesting accepted, already capped by the caller */
    ProtobufShape(StructureLimits limits, int maxDepth) {
        this.limits = limits;
        this.maxDepth = maxDepth;
    }

    /**
     * Walks {@code message}, from its position to its limit, as a message of {@code type}; leaves its position
     * as it was.
     *
     * @throws StructureTooBigException       a structure limit is broken (1009)
     * @throws InvalidProtocolBufferException the input is not well-formed wire data
     */
    void check(ByteBuffer message, Descriptor type) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message.duplicate());
        // The message's end as a limit, so that each length can be compared with the bytes really left.
        in.pushLimit(message.remaining());
        new Walk(in).message(type, 1, 0);
    }

    /** The state of one walk: the input and the elements counted so far. */
    private final class Walk {
        private final CodedInputStream in;
        private final StructureCounter structure =
                new StructureCounter(StructureCounter.Format.PROTOCOL_BUFFERS, limits, maxDepth);

        Walk(CodedInputStream in) {
            this.in = in;
        }

        /**
         * Reads fields until the end of the input (or of the pushed limit), or until the end tag of group
         * {@code group} when {@code group > 0}.
         *
         * @param type the message's schema, or {@code null} for an unknown group
         */
        void message(Descriptor type, int depth, int group) throws IOException {
            structure.requireDepth(depth);
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    if (group > 0) {
                        throw new InvalidProtocolBufferException("the message ends inside a group");
                    }
                    return;
                }
                int number = WireFormat.getTagFieldNumber(tag);
                int wireType = WireFormat.getTagWireType(tag);
                if (wireType == WireFormat.WIRETYPE_END_GROUP) {
                    if (number != group) {
                        throw new InvalidProtocolBufferException("a group ends that was not started");
                    }
                    return;
                }
                structure.count(1);
                FieldDescriptor field = type == null ? null : type.findFieldByNumber(number);
                switch (wireType) {
                    case WireFormat.WIRETYPE_VARINT -> in.readRawVarint64();
                    case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32();
                    case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> delimited(field, number, depth);
                    case WireFormat.WIRETYPE_START_GROUP -> message(
                            field != null && field.getType() == FieldDescriptor.Type.GROUP ? field.getMessageType() : null,
                            depth + 1, number);
                    default -> throw new InvalidProtocolBufferException("field " + number + " has invalid wire type "
                            + wireType);
                }
            }
        }

        private void delimited(FieldDescriptor field, int number, int depth) throws IOException {
            int length = in.readRawVarint32();
            if (length < 0 || length > in.getBytesUntilLimit()) {
                throw new InvalidProtocolBufferException("the message ends inside a field");
            }
            if (field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                int outer = in.pushLimit(length);
                message(field.getMessageType(), depth + 1, 0);
                in.popLimit(outer);
            } else if (field != null && field.isPackable()) {
                packed(field, length);
            } else {
                structure.requireValue("field " + (field == null ? String.valueOf(number) : field.getName()), length);
                in.skipRawBytes(length);
            }
        }

        /** A packed repeated scalar: each element is one element more. */
        private void packed(FieldDescriptor field, int length) throws IOException {
            int outer = in.pushLimit(length);
            int fixedSize = switch (field.getType()) {
                case FIXED32, SFIXED32, FLOAT -> 4;
                case FIXED64, SFIXED64, DOUBLE -> 8;
                default -> 0;
            };
            if (fixedSize > 0) {
                structure.count(length / fixedSize);
                in.skipRawBytes(length);
            } else {
                while (in.getBytesUntilLimit() > 0) {
                    in.readRawVarint64();
                    structure.count(1);
                }
            }
            in.popLimit(outer);
        }
    }
}
