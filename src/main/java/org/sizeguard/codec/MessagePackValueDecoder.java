package org.sizeguard.codec;

import org.msgpack.value.ImmutableValue;
import org.msgpack.value.Value;
import org.sizeguard.MessageSizePolicy;

/**
 * Decodes a binary MessagePack message into msgpack-core's {@link Value}, as {@link MessagePackReader} reads it:
 * checked against the endpoint's policy, with every integer width, float32 and float64, bin, ext, nil and maps with
 * keys of any type preserved, so that {@link MessagePackValueEncoder} packs it back to the same bytes (for input in
 * the smallest formats). Policy, checks, exceptions and lifecycle are those of {@link MessagePackDecoder}; no JSON-B
 * is involved.
 */
public class MessagePackValueDecoder extends MessagePackDecoder<Value> {

    /** For CDI and containers: the policy is injected, or looked up. */
    public MessagePackValueDecoder() {
    }

    /** For use without CDI: decodes under {@code policy}. */
    public MessagePackValueDecoder(MessageSizePolicy policy) {
        super(policy);
    }

    /** The checked value itself. */
    @Override
    protected Value map(ImmutableValue value) {
        return value;
    }
}
