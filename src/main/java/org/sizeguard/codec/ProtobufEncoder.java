package org.sizeguard.codec;

import java.nio.ByteBuffer;

import jakarta.websocket.Encoder;

import com.google.protobuf.Message;

/**
 * An encoder of the generated message class {@code T} into binary Protocol Buffers messages, the counterpart of
 * {@link ProtobufDecoder}. An author writes {@code public class OrderEncoder extends ProtobufEncoder<Order> {}} and
 * declares it in {@code ServerEndpoint(encoders = ...)}; the message is written in protobuf-java's canonical field
 * order. What is sent is bounded like every other reply of a guarded endpoint (the session's outbound limits).
 * <p>
 * Stateless and thread-safe; one instance per session, as the WebSocket specification has it.
 *
 * @param <T> the generated message class encoded
 */
public abstract class ProtobufEncoder<T extends Message> implements Encoder.Binary<T> {

    /** {@code message} in the Protocol Buffers wire format. */
    @Override
    public ByteBuffer encode(T message) {
        return ByteBuffer.wrap(message.toByteArray());
    }
}
