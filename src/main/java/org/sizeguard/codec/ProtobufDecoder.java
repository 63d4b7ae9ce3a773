package org.sizeguard.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UninitializedMessageException;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.GenericTypes;

/**
 * A decoder of binary Protocol Buffers messages into the generated message class {@code T}, checked against the
 * endpoint's {@link MessageSizePolicy} before protobuf-java builds anything. An author writes
 * <pre>
 * public class OrderDecoder extends ProtobufDecoder&lt;Order&gt; {}
 *
 * &#64;ServerEndpoint(value = "/orders", decoders = OrderDecoder.class, encoders = OrderEncoder.class)
 * public class OrderEndpoint {
 *     &#64;OnMessage public Order order(Order order) { ... }
 * }
 * </pre>
 * <p>
 * <b>Checks</b>, in this order:
 * <ul>
 * <li>The message against the policy's binary message limit: {@link MessageTooBigException} (1009), before a byte
 * is parsed. (Sizeguard has already counted it against that limit as it arrived; the check is for decoders used on
 * their own.)</li>
 * <li>Its shape against {@link MessageSizePolicy#structure()}, walking the wire format with {@code T}'s schema
 * before anything is allocated: nesting (the message is level 1, each sub-message, map entry or group one deeper;
 * at most {@link StructureLimits#maxDepth()}, and never more than {@link #MAX_DEPTH}), elements (every field
 * occurrence and every packed element, over the whole message) and the length of each string, bytes or unknown
 * field: {@link StructureTooBigException} (1009), e.g. {@code "Protocol Buffers nesting exceeds 64 levels"}.</li>
 * <li>Then protobuf-java parses it with its size limit set to the binary message limit and its recursion limit to
 * the nesting limit. Input that is not a well-formed {@code T} (a length or a varint beyond the input, an invalid
 * tag or wire type, a proto3 string that is not UTF-8, a missing proto2 required field) is
 * {@link UndecodableMessageException} (1007), {@code "Protocol Buffers could not be decoded as Order: the message
 * ends inside a field"}.</li>
 * </ul>
 * So every object the parser builds is backed by at least one byte of the message and counted as an element.
 * Extensions are not parsed (they are kept as unknown fields, which count as elements and values like any other).
 * {@link #decode(ByteBuffer)} throws nothing but these {@link SizeguardCloseException}s, which Sizeguard turns into
 * the session's close.
 * <p>
 * <b>Policy.</b> Sizeguard creates decoders through CDI, so the field {@code @Inject MessageSizePolicy policy}
 * receives the policy of the endpoint the decoder serves. Without CDI, construct with
 * {@link #ProtobufDecoder(MessageSizePolicy)}; a decoder that got neither uses the application's default policy
 * ({@link SizePolicies#current()}), or the built-in defaults before Sizeguard has initialised the application. The
 * policy is fixed at {@link #init(EndpointConfig)} or at the first {@link #decode(ByteBuffer)}.
 * <p>
 * <b>Lifecycle and threading.</b> One instance per session, as the WebSocket specification has it; it holds no
 * state between messages and may be used from several threads.
 *
 * @param <T> the generated message class messages are decoded into
 */
public abstract class ProtobufDecoder<T extends Message> implements Decoder.Binary<T> {

    /**
     * The deepest nesting accepted, whatever {@link StructureLimits#maxDepth()} says: protobuf-java's default
     * recursion limit, which keeps its recursive parser (and the shape walk) well within a thread's stack.
     */
    public static final int MAX_DEPTH = 100;

    /**
     * Short reasons for protobuf-java's own descriptions, which are written for logs (the first is 180 characters)
     * and would not fit a 123-byte close reason; keyed by how each begins. Others are cut at their first sentence.
     */
    private static final Map<String, String> SHORT_REASONS = Map.of(
            "While parsing a protocol message, the input ended unexpectedly", "the message ends inside a field",
            "CodedInputStream encountered an embedded string or message which claimed to have negative size",
            "a length is negative",
            "Protocol message contained an invalid tag (zero)", "a tag is zero",
            "Protocol message end-group tag did not match expected tag", "a group ends with another field's tag",
            "Protocol message tag had invalid wire type", "a tag has an invalid wire type",
            "Protocol message had invalid UTF-8", "a string is not valid UTF-8");

    @Inject
    private MessageSizePolicy injectedPolicy;

    private final MessageSizePolicy givenPolicy;
    private final Class<T> type;
    private final Parser<T> parser;
    private final Descriptor schema;
    private volatile MessageSizePolicy policy;
    private volatile ProtobufShape shape;

    /** For CDI and containers: the policy is injected, or looked up (see the class description). */
    protected ProtobufDecoder() {
        this(null);
    }

    /**
     * For use without CDI: decodes under {@code policy} (unless CDI injects one).
     *
     * @param policy the limits to check, or {@code null} to find them as {@link #ProtobufDecoder()} does
     */
    protected ProtobufDecoder(MessageSizePolicy policy) {
        this.givenPolicy = policy;
        @SuppressWarnings("unchecked")
        Class<T> messageClass = (Class<T>) GenericTypes.rawClass(
                GenericTypes.concreteTypeArgument(getClass(), ProtobufDecoder.class));
        this.type = messageClass;
        T defaultInstance = Internal.getDefaultInstance(messageClass);
        @SuppressWarnings("unchecked")
        Parser<T> typed = (Parser<T>) defaultInstance.getParserForType();
        this.parser = typed;
        this.schema = defaultInstance.getDescriptorForType();
    }

    /** Fixes the policy this decoder checks messages against. */
    @Override
    public void init(EndpointConfig config) {
        shape();
    }

    /** {@code true} for every message: {@link #decode(ByteBuffer)} gives a precise reason for one it refuses. */
    @Override
    public boolean willDecode(ByteBuffer bytes) {
        return bytes != null;
    }

    /**
     * Checks and parses the message, from its position to its limit (the buffer's position is left as it was).
     *
     * @throws MessageTooBigException      the message exceeds the policy's binary message limit (1009)
     * @throws StructureTooBigException    its shape breaks the policy's structure limits (1009)
     * @throws UndecodableMessageException it is not a well-formed {@code T} (1007)
     */
    @Override
    public T decode(ByteBuffer bytes) {
        ProtobufShape checks = shape();
        MessageSizePolicy limits = policy;
        long limit = limits.limit(MessageKind.BINARY);
        MessageTooBigException.requireWithin(MessageKind.BINARY, limit, bytes.remaining());
        int depth = depthLimit(limits);
        try {
            checks.check(bytes, schema);
            CodedInputStream input = CodedInputStream.newInstance(bytes.duplicate());
            input.setSizeLimit((int) Math.min(Integer.MAX_VALUE, limit));
            input.setRecursionLimit(depth);
            T message = parser.parseFrom(input);
            input.checkLastTagWas(0);
            return message;
        } catch (SizeguardCloseException refused) {
            throw refused;
        } catch (InvalidProtocolBufferException | UninitializedMessageException malformed) {
            throw undecodable(malformed);
        } catch (IOException | RuntimeException failed) {
            // Nothing else is expected of a parser reading a buffer; whatever it is, the input caused it.
            throw undecodable(failed);
        }
    }

    /** The generated message class messages are decoded into. */
    protected final Class<T> type() {
        return type;
    }

    /** The policy this decoder checks messages against; see the class description. */
    protected final MessageSizePolicy policy() {
        shape();
        return policy;
    }

    private ProtobufShape shape() {
        ProtobufShape settled = shape;
        if (settled == null) {
            synchronized (this) {
                if (shape == null) {
                    MessageSizePolicy resolved = DecoderPolicy.resolve(injectedPolicy, givenPolicy);
                    policy = resolved;
                    shape = new ProtobufShape(resolved.structure(), depthLimit(resolved));
                }
                settled = shape;
            }
        }
        return settled;
    }

    private static int depthLimit(MessageSizePolicy policy) {
        return Math.min(policy.structure().maxDepth(), MAX_DEPTH);
    }

    private UndecodableMessageException undecodable(Exception failure) {
        return new UndecodableMessageException("Protocol Buffers could not be decoded as " + type.getSimpleName()
                + ": " + shortReason(failure), failure);
    }

    static String shortReason(Exception failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        for (Map.Entry<String, String> known : SHORT_REASONS.entrySet()) {
            if (message.startsWith(known.getKey())) {
                return known.getValue();
            }
        }
        int sentence = message.indexOf(". ");
        String first = sentence < 0 ? message : message.substring(0, sentence);
        return first.replaceAll("\\s+", " ").replaceFirst("\\.$", "").trim();
    }
}
