package org.sizeguard.codec;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;

import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import org.msgpack.value.ImmutableValue;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.GenericTypes;

/**
 * A decoder of binary MessagePack messages into {@code T}, checked against the endpoint's
 * {@link MessageSizePolicy} while it reads. An author writes
 * <pre>
 * public class OrderDecoder extends MessagePackDecoder&lt;Order&gt; {}
 *
 * &#64;ServerEndpoint(value = "/orders", decoders = OrderDecoder.class)
 * public class OrderEndpoint {
 *     &#64;OnMessage public void order(Order order) { ... }
 * }
 * </pre>
 * <p>
 * <b>Checks.</b> {@link MessagePackReader} reads the message first: its size against the policy's binary message
 * limit ({@link MessageTooBigException}, 1009), its shape against {@link MessageSizePolicy#structure()} before
 * allocating what a header declares ({@link StructureTooBigException}, 1009), and its well-formedness
 * ({@link UndecodableMessageException}, 1007). The checked value is then bound to {@code T} (see below); a value
 * that does not fit {@code T} is a 1007 too, {@code "MessagePack could not be decoded as Order: ..."}.
 * {@link #decode(ByteBuffer)} throws nothing but these {@link SizeguardCloseException}s, which Sizeguard turns into
 * the session's close.
 * <p>
 * <b>Why {@code Decoder.Binary}.</b> The whole message is at hand, so every declared count and length is checked
 * against the bytes really left as well as against the limits, and a lying header is refused before anything is
 * allocated for it. A stream would hold no less: the decoded value is about as large as the message. Sizeguard has
 * already counted the message against the policy's binary message limit as it arrived, held it within that limit,
 * and hands it over whole.
 * <p>
 * <b>Binding.</b> Through JSON-B, which both servers provide, so the WAR bundles only msgpack-core: the value is
 * bound as if it were the equivalent JSON, so JSON-B's annotations and rules apply. Map keys must be strings, bin
 * values become base64 strings ({@code byte[]} properties take them), ext values are refused. Override
 * {@link #jsonb()} to bind with another JSON-B configuration, or {@link #map(ImmutableValue)} to bind differently.
 * <p>
 * <b>Policy.</b> Sizeguard creates decoders through CDI, so the field {@code @Inject MessageSizePolicy policy}
 * receives the policy of the endpoint the decoder serves. Without CDI, construct with
 * {@link #MessagePackDecoder(MessageSizePolicy)}; a decoder that got neither (created by a container for an
 * endpoint Sizeguard does not guard) uses the application's default policy ({@link SizePolicies#current()}), or
 * the built-in defaults before Sizeguard has initialised the application. The policy is fixed at
 * {@link #init(EndpointConfig)} or at the first {@link #decode(ByteBuffer)}, whichever comes first.
 * <p>
 * <b>Lifecycle and threading.</b> One instance per session, as the WebSocket specification has it; an instance
 * holds no state between messages except the reader it builds once, and may be used from several threads.
 *
 * @param <T> the type messages are decoded into
 */
public abstract class MessagePackDecoder<T> implements Decoder.Binary<T> {

    @Inject
    private MessageSizePolicy policy;

    private final Type type;
    private volatile PolicyReader reader;

    /** For CDI and containers: the policy is injected, or looked up (see the class description). */
    protected MessagePackDecoder() {
        this.type = GenericTypes.concreteTypeArgument(getClass(), MessagePackDecoder.class);
    }

    /** For use without CDI: decodes under {@code policy}. */
    protected MessagePackDecoder(MessageSizePolicy policy) {
        this();
        if (policy == null) {
            throw new IllegalArgumentException("a policy is required");
        }
        this.policy = policy;
    }

    /** Fixes the policy this decoder checks messages against. */
    @Override
    public void init(EndpointConfig config) {
        reader();
    }

    /** {@code true} for every message: {@link #decode(ByteBuffer)} gives a precise reason for one it refuses. */
    @Override
    public boolean willDecode(ByteBuffer bytes) {
        return bytes != null;
    }

    /**
     * Checks and reads the message, from its position to its limit, then binds it.
     *
     * @throws MessageTooBigException      if the message exceeds the policy's binary message limit (1009)
     * @throws StructureTooBigException    if its structure breaks the policy's structure limits (1009)
     * @throws UndecodableMessageException if it is not one well-formed MessagePack value or does not fit
     *                                     {@code T} (1007)
     */
    @Override
    public T decode(ByteBuffer bytes) {
        ImmutableValue value = reader().read(bytes);
        try {
            return map(value);
        } catch (SizeguardCloseException rejection) {
            throw rejection;
        } catch (RuntimeException notBindable) {
            throw new UndecodableMessageException("MessagePack could not be decoded as "
                    + MessagePackMapping.name(type) + ": " + notBindable.getMessage(), notBindable);
        }
    }

    /**
     * Binds a checked value to {@code T}. By default through {@link #jsonb()}, as described in the class
     * description. Any runtime exception it throws becomes a 1007 naming {@code T}.
     */
    protected T map(ImmutableValue value) {
        String json;
        try {
            json = MessagePackMapping.toJson(value);
        } catch (MessagePackMapping.Unmappable unmappable) {
            throw new UndecodableMessageException("MessagePack could not be decoded as "
                    + MessagePackMapping.name(type) + ": " + unmappable.getMessage(), null);
        }
        return jsonb().fromJson(json, type);
    }

    /**
     * The JSON-B instance that binds values: by default one shared by all of the application's MessagePack codecs,
     * configured with {@code BinaryDataStrategy.BASE_64}. Override to supply your own (thread-safe, and closed by
     * you).
     */
    protected Jsonb jsonb() {
        return MessagePackMapping.sharedJsonb();
    }

    /** The type messages are decoded into. */
    protected final Type type() {
        return type;
    }

    /** The policy this decoder checks messages against; see the class description. */
    protected final MessageSizePolicy policy() {
        return reader().policy;
    }

    private PolicyReader reader() {
        PolicyReader current = reader;
        if (current == null) {
            synchronized (this) {
                if (reader == null) {
                    reader = new PolicyReader(effectivePolicy());
                }
                current = reader;
            }
        }
        return current;
    }

    private MessageSizePolicy effectivePolicy() {
        // The constructor's policy is kept in the injected field: CDI replaces it, as for the other decoders.
        return DecoderPolicy.resolve(policy, null);
    }

    /** A reader that remembers the policy it was made from. */
    private static final class PolicyReader {
        final MessageSizePolicy policy;
        final MessagePackReader reader;

        PolicyReader(MessageSizePolicy policy) {
            this.policy = policy;
            this.reader = MessagePackReader.of(policy);
        }

        ImmutableValue read(ByteBuffer bytes) {
            return reader.read(bytes);
        }
    }
}
