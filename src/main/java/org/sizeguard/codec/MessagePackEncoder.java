package org.sizeguard.codec;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;

import jakarta.json.bind.Jsonb;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;

import org.sizeguard.internal.GenericTypes;

/**
 * An encoder of {@code T} into binary MessagePack messages, the counterpart of {@link MessagePackDecoder}. An
 * author writes {@code public class OrderEncoder extends MessagePackEncoder<Order> {}} and declares it in
 * {@code ServerEndpoint(encoders = ...)}.
 * <p>
 * The object is written by JSON-B (which both servers provide) and packed as MessagePack: objects as maps with
 * string keys, integral numbers in the smallest integer format, other numbers as float64, {@code byte[]} as a base64
 * str (JSON-B's {@code BinaryDataStrategy.BASE_64}), which {@link MessagePackDecoder} binds back into a
 * {@code byte[]}. Override {@link #jsonb()} for another JSON-B configuration.
 * <p>
 * Stateless and thread-safe; one instance per session, as the WebSocket specification has it.
 *
 * @param <T> the type encoded
 */
public abstract class MessagePackEncoder<T> implements Encoder.Binary<T> {

    private final Type type;

    protected MessagePackEncoder() {
        this.type = GenericTypes.concreteTypeArgument(getClass(), MessagePackEncoder.class);
    }

    /** {@code object} as one MessagePack value. */
    @Override
    public ByteBuffer encode(T object) throws EncodeException {
        try {
            return ByteBuffer.wrap(MessagePackMapping.toMessagePack(jsonb().toJson(object, type)));
        } catch (IOException | RuntimeException e) {
            throw new EncodeException(object, "cannot encode " + MessagePackMapping.name(type) + " as MessagePack: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The JSON-B instance that writes objects: by default one shared by all of the application's MessagePack
     * codecs, configured with {@code BinaryDataStrategy.BASE_64}. Override to supply your own.
     */
    protected Jsonb jsonb() {
        return MessagePackMapping.sharedJsonb();
    }

    /** The type this encoder encodes. */
    protected final Type type() {
        return type;
    }
}
