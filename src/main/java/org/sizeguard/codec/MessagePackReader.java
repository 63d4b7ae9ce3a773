package org.sizeguard.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ImmutableValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import org.msgpack.value.ValueType;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;

/**
 * Reads one MessagePack value from one binary message, checking the message against its size limit and its shape
 * against {@link StructureLimits} <em>before</em> allocating anything a header declares.
 * <p>
 * The rules, in the order they are checked:
 * <ul>
 * <li>The message may take at most {@code maxMessageBytes}; a larger one is refused with
 * {@link MessageTooBigException} (1009) before a byte of it is parsed.</li>
 * <li>Arrays and maps may nest at most {@link StructureLimits#maxDepth()} levels (the outermost array is level 1):
 * {@code "MessagePack nesting exceeds 64 levels"}.</li>
 * <li>One array or map may declare at most {@link StructureLimits#maxElements()} elements (array items, map
 * entries), and all the arrays and maps of the message together at most as many:
 * {@code "MessagePack array of 4294967295 elements exceeds 100000 elements"},
 * {@code "MessagePack message of 100001 elements exceeds 100000 elements"}. A declared count is checked against
 * the limit when its header is read, before a slot is allocated for it.</li>
 * <li>A str, bin or ext value may declare at most {@link StructureLimits#maxValueBytes()} bytes:
 * {@code "MessagePack string of 4294967295 bytes exceeds 1048576 bytes"}.</li>
 * </ul>
 * These end the session with 1009 ({@link StructureTooBigException}). Input that is not one well-formed MessagePack
 * value ends it with 1007 ({@link UndecodableMessageException}, {@code "MessagePack could not be decoded: ..."}):
 * an empty message; a value cut short; a header declaring more elements (each needs at least one byte, a map entry
 * two) or more bytes than the message has left, which is checked before anything is allocated for them; the
 * never-used byte {@code 0xc1}; a str that is not valid UTF-8 (strict: no overlong forms, no surrogates, nothing
 * above U+10FFFF), since it could not become a Java {@code String} without loss; and bytes after the value, since
 * one message carries one value and anything after it would be read by no one.
 * <p>
 * So the reader never allocates more than the message itself holds: every array slot, map slot and payload byte it
 * allocates is backed by at least one byte of the message. It walks the input with an explicit stack, never
 * recursing, so no input can overflow the thread's stack; {@link #read(ByteBuffer)} throws no exception other than
 * the {@link SizeguardCloseException}s above.
 * <p>
 * The value it returns keeps everything a re-encoding needs: integers of any width (uint64 above
 * {@code Long.MAX_VALUE} as a big integer), float32 and float64 apart (a float32 is packed back as float32), str
 * as its UTF-8 bytes, bin, ext of every type as its type and raw bytes (a timestamp too, which is not
 * re-interpreted), nil, and maps with keys of any type, in their order, duplicates kept. Packing the value again
 * with {@link MessagePackValueEncoder} gives back the input byte for byte when the input used the smallest header for
 * each value, as msgpack-core's packer does.
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class MessagePackReader {

    private final StructureLimits limits;
    private final long maxMessageBytes;

    /**
     * @param limits          the structure limits to apply
     * @param maxMessageBytes the largest message accepted, in bytes
     */
    public MessagePackReader(StructureLimits limits, long maxMessageBytes) {
        if (limits == null) {
            throw new IllegalArgumentException("structure limits are required");
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("the message limit must not be negative: " + maxMessageBytes);
        }
        this.limits = limits;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A reader for whole binary messages under {@code policy}: its structure limits and binary message limit. */
    public static MessagePackReader of(MessageSizePolicy policy) {
        return new MessagePackReader(policy.structure(), policy.limit(MessageKind.BINARY));
    }

    public StructureLimits limits() {
        return limits;
    }

    public long maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Reads the one value that {@code message} holds, from its position to its limit; the buffer's position is
     * not changed.
     *
     * @throws MessageTooBigException       if the message exceeds {@link #maxMessageBytes()} (1009)
     * @throws StructureTooBigException     if the value breaks one of the {@link #limits()} (1009)
     * @throws UndecodableMessageException  if the message is not exactly one well-formed MessagePack value (1007)
     */
    public ImmutableValue read(ByteBuffer message) {
        if (message == null) {
            throw undecodable("no message");
        }
        long size = MessageTooBigException.requireWithin(MessageKind.BINARY, maxMessageBytes, message.remaining());
        if (size == 0) {
            throw undecodable("the message is empty");
        }
        try (MessageUnpacker unpacker = unpacker(message)) {
            ImmutableValue value = new Walk(unpacker, size).value();
            long trailing = size - unpacker.getTotalReadBytes();
            if (trailing > 0) {
                throw undecodable(trailing + (trailing == 1 ? " byte follows" : " bytes follow") + " the value");
            }
            return value;
        } catch (SizeguardCloseException rejection) {
            throw rejection;
        } catch (MessageInsufficientBufferException truncated) {
            throw undecodable("the message ends inside a value");
        } catch (MessagePackException | IOException malformed) {
            throw undecodable(malformed.getMessage() == null ? malformed.getClass().getSimpleName()
                    : malformed.getMessage());
        } catch (RuntimeException unexpected) {
            // msgpack-core documents only the exceptions above; anything else is still the input's fault.
            throw undecodable(unexpected.toString());
        }
    }

    /**
     * An unpacker over the message's bytes. msgpack-core reads a direct buffer through {@code sun.nio.ch}, which
     * Java 17 does not open to applications ({@code IllegalAccessError}), so a buffer without an accessible array
     * (direct or read-only, as containers may hand over) is copied first: at most the message limit, checked above.
     */
    private static MessageUnpacker unpacker(ByteBuffer message) {
        if (message.hasArray()) {
            return MessagePack.newDefaultUnpacker(message.array(), message.arrayOffset() + message.position(),
                    message.remaining());
        }
        byte[] copy = new byte[message.remaining()];
        message.duplicate().get(copy);
        return MessagePack.newDefaultUnpacker(copy);
    }

    /** Reads the one value that {@code message} holds; see {@link #read(ByteBuffer)}. */
    public ImmutableValue read(byte[] message) {
        return read(message == null ? null : ByteBuffer.wrap(message));
    }

    private static String left(long remaining) {
        return "the " + remaining + (remaining == 1 ? " byte left" : " bytes left");
    }

    static UndecodableMessageException undecodable(String what) {
        return new UndecodableMessageException("MessagePack could not be decoded: " + what, null);
    }

    /** An array or map whose elements are being read. */
    private static final class Container {
        final boolean map;
        final Value[] slots;
        int filled;

        Container(boolean map, Value[] slots) {
            this.map = map;
            this.slots = slots;
        }

        ImmutableValue build() {
            return map ? ValueFactory.newMap(slots, true) : ValueFactory.newArray(slots, true);
        }
    }

    /** One walk over one message. */
    private final class Walk {
        private final MessageUnpacker unpacker;
        private final long size;
        private final List<Container> open = new ArrayList<>();
        private final StructureCounter structure =
                new StructureCounter(StructureCounter.Format.MESSAGE_PACK, limits, Integer.MAX_VALUE);

        Walk(MessageUnpacker unpacker, long size) {
            this.unpacker = unpacker;
            this.size = size;
        }

        ImmutableValue value() throws IOException {
            while (true) {
                ImmutableValue value = next();
                if (value == null) {
                    continue; // a non-empty container was opened: read its first element
                }
                // Put the value into its container; each container it completes goes into the one around it.
                while (true) {
                    if (open.isEmpty()) {
                        return value;
                    }
                    Container container = open.get(open.size() - 1);
                    container.slots[container.filled++] = value;
                    if (container.filled < container.slots.length) {
                        break;
                    }
                    open.remove(open.size() - 1);
                    value = container.build();
                }
            }
        }

        private long remaining() {
            return size - unpacker.getTotalReadBytes();
        }

        /** The next scalar or empty container, or {@code null} after opening a non-empty container. */
        private ImmutableValue next() throws IOException {
            MessageFormat format = unpacker.getNextFormat();
            switch (format) {
                case NIL:
                    unpacker.unpackNil();
                    return ValueFactory.newNil();
                case BOOLEAN:
                    return ValueFactory.newBoolean(unpacker.unpackBoolean());
                case POSFIXINT: case NEGFIXINT: case UINT8: case UINT16: case UINT32:
                case INT8: case INT16: case INT32: case INT64:
                    return ValueFactory.newInteger(unpacker.unpackLong());
                case UINT64:
                    return ValueFactory.newInteger(unpacker.unpackBigInteger());
                case FLOAT32:
                    return new Float32Value(unpacker.unpackFloat());
                case FLOAT64:
                    return ValueFactory.newFloat(unpacker.unpackDouble());
                case FIXSTR: case STR8: case STR16: case STR32: {
                    byte[] utf8 = payload("string", rawLength(format));
                    if (!isUtf8(utf8)) {
                        throw undecodable("a string is not valid UTF-8");
                    }
                    return ValueFactory.newString(utf8, true);
                }
                case BIN8: case BIN16: case BIN32:
                    return ValueFactory.newBinary(payload("binary value", rawLength(format)), true);
                case FIXEXT1: case FIXEXT2: case FIXEXT4: case FIXEXT8: case FIXEXT16:
                case EXT8: case EXT16: case EXT32: {
                    ExtensionTypeHeader header;
                    try {
                        header = unpacker.unpackExtensionTypeHeader();
                    } catch (MessageSizeException overU31) {
                        checkLength("extension value", overU31.getSize()); // throws: 2^31 bytes never fit
                        throw undecodable("an extension value of " + overU31.getSize() + " bytes is too long");
                    }
                    return ValueFactory.newExtension(header.getType(),
                            payload("extension value", header.getLength()));
                }
                case FIXARRAY: case ARRAY16: case ARRAY32:
                    return open(false, declaredCount(format));
                case FIXMAP: case MAP16: case MAP32:
                    return open(true, declaredCount(format));
                case NEVER_USED:
                default:
                    throw undecodable("byte 0xc1 is never used");
            }
        }

        /** The declared length of a str or bin value; a 32-bit length above 2^31 - 1 as it is. */
        private long rawLength(MessageFormat format) throws IOException {
            try {
                return format.getValueType() == ValueType.STRING
                        ? unpacker.unpackRawStringHeader() : unpacker.unpackBinaryHeader();
            } catch (MessageSizeException overU31) {
                return overU31.getSize();
            }
        }

        private long declaredCount(MessageFormat format) throws IOException {
            try {
                return format.getValueType() == ValueType.MAP
                        ? unpacker.unpackMapHeader() : unpacker.unpackArrayHeader();
            } catch (MessageSizeException overU31) {
                return overU31.getSize();
            }
        }

        /** Checks a declared container, then allocates its slots: at most one per byte left in the message. */
        private ImmutableValue open(boolean map, long count) {
            structure.requireDepth(open.size() + 1);
            structure.requireDeclared(map ? "map of " + count + " entries" : "array of " + count + " elements",
                    count);
            structure.count(count);
            long needed = map ? 2 * count : count; // each key and each value takes at least one byte
            long remaining = remaining();
            if (needed > remaining) {
                throw undecodable((map ? "a map of " + count + " entries" : "an array of " + count + " elements")
                        + " cannot fit in " + left(remaining));
            }
            if (count == 0) {
                return map ? ValueFactory.emptyMap() : ValueFactory.emptyArray();
            }
            open.add(new Container(map, new Value[(int) needed]));
            return null;
        }

        /** Checks a declared payload length, then reads the payload. */
        private byte[] payload(String what, long length) throws IOException {
            checkLength(what, length);
            return unpacker.readPayload((int) length);
        }

        private void checkLength(String what, long length) {
            structure.requireValue(what, length);
            long remaining = remaining();
            if (length > remaining) {
                throw undecodable((what.startsWith("e") ? "an " : "a ") + what + " of " + length
                        + " bytes cannot fit in " + left(remaining));
            }
        }
    }

    /**
     * Whether {@code bytes} is well-formed UTF-8 (RFC 3629): no overlong forms, no encoded surrogates, nothing
     * above U+10FFFF, no sequence cut short.
     */
    static boolean isUtf8(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int continuation;
            int low = 0x80;
            int high = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                continuation = 1;
            } else if (b >= 0xe0 && b <= 0xef) {
                continuation = 2;
                if (b == 0xe0) {
                    low = 0xa0; // overlong below U+0800
                } else if (b == 0xed) {
                    high = 0x9f; // U+D800..U+DFFF are surrogates
                }
            } else if (b >= 0xf0 && b <= 0xf4) {
                continuation = 3;
                if (b == 0xf0) {
                    low = 0x90; // overlong below U+10000
                } else if (b == 0xf4) {
                    high = 0x8f; // above U+10FFFF
                }
            } else {
                return false;
            }
            if (i + continuation >= n) {
                return false; // the sequence is cut short
            }
            int second = bytes[i + 1] & 0xff;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= continuation; k++) {
                int next = bytes[i + k] & 0xff;
                if (next < 0x80 || next > 0xbf) {
                    return false;
                }
            }
            i += continuation + 1;
        }
        return true;
    }
}
