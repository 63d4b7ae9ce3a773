package org.sizeguard.codec;

import java.io.IOException;

import org.msgpack.core.MessagePacker;
import org.msgpack.value.impl.ImmutableDoubleValueImpl;

/**
 * A MessagePack float32 value. msgpack-core keeps every float as a {@code double} and packs it back as float64
 * (9 bytes for 5); this value remembers that it came as float32 and is packed back as float32, so a value read by
 * {@link MessagePackReader} re-encodes to the bytes it was read from. It equals any float value with the same
 * number.
 */
final class Float32Value extends ImmutableDoubleValueImpl {

    private final float value;

    Float32Value(float value) {
        super(value);
        this.value = value;
    }

    @Override
    public void writeTo(MessagePacker packer) throws IOException {
        packer.packFloat(value);
    }
}
