package org.sizeguard.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;

import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;

/**
 * Packs a msgpack-core {@link Value} into one binary MessagePack message: each value in the smallest format
 * msgpack-core's packer chooses, a float32 read by {@link MessagePackValueDecoder} as float32 again, ext values with
 * their type and bytes. A value that {@link MessagePackValueDecoder} read from input in the smallest formats is packed
 * back to the same bytes.
 * <p>
 * Arrays and maps are walked with an explicit stack, so a deeply nested value cannot overflow the stack.
 * Stateless and thread-safe.
 */
public class MessagePackValueEncoder implements Encoder.Binary<Value> {

    @Override
    public ByteBuffer encode(Value value) throws EncodeException {
        if (value == null) {
            throw new EncodeException(null, "cannot encode null as MessagePack; use ValueFactory.newNil()");
        }
        try {
            return ByteBuffer.wrap(pack(value));
        } catch (IOException | RuntimeException e) {
            throw new EncodeException(value, "cannot encode the value as MessagePack: " + e.getMessage(), e);
        }
    }

    /** {@code value} as MessagePack bytes. */
    public static byte[] pack(Value value) throws IOException {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            Deque<Iterator<Value>> open = new ArrayDeque<>();
            Value current = value;
            while (true) {
                if (current.isArrayValue()) {
                    ArrayValue array = current.asArrayValue();
                    packer.packArrayHeader(array.size());
                    open.push(array.iterator());
                } else if (current.isMapValue()) {
                    MapValue map = current.asMapValue();
                    packer.packMapHeader(map.size());
                    open.push(java.util.Arrays.asList(map.getKeyValueArray()).iterator());
                } else {
                    current.writeTo(packer); // a scalar: nil, boolean, integer, float, str, bin, ext
                }
                while (!open.isEmpty() && !open.peek().hasNext()) {
                    open.pop();
                }
                if (open.isEmpty()) {
                    break;
                }
                current = open.peek().next();
            }
            packer.flush();
            return packer.toByteArray();
        }
    }
}
