package org.sizeguard.internal;

import java.io.InputStream;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.MessageKind;

/**
 * What Sizeguard needs to know about an annotated {@code ServerEndpoint} class to serve it: its lifecycle
 * methods, its message methods and how to fill in their parameters. Built once per class at deployment and
 * immutable afterwards.
 * <p>
 * Supported, as in Jakarta WebSocket 2.1 §4: {@code @OnOpen}, {@code @OnClose}, {@code @OnError} and at most one
 * {@code @OnMessage} method per message kind (text, binary, pong). A message method takes one payload parameter
 * ({@code String}, a primitive or its wrapper, {@code Reader}, a type a declared text decoder produces,
 * {@code byte[]}, {@code ByteBuffer}, {@code InputStream}, a type a declared binary decoder produces, or
 * {@code PongMessage}), optionally a {@code boolean last} after a {@code String}, {@code byte[]} or
 * {@code ByteBuffer} payload for partial delivery, a {@code Session} and {@code @PathParam} parameters. A
 * non-void return value is sent back to the peer.
 */
public final class EndpointModel {

    private final Class<?> endpointClass;
    private final ServerEndpoint annotation;
    private final LifecycleMethod onOpen;
    private final LifecycleMethod onClose;
    private final LifecycleMethod onError;
    private final Map<MessageKind, MessageMethod> messageMethods;
    private final MessageMethod pongMethod;

    private EndpointModel(Class<?> endpointClass, ServerEndpoint annotation, LifecycleMethod onOpen,
            LifecycleMethod onClose, LifecycleMethod onError, Map<MessageKind, MessageMethod> messageMethods,
            MessageMethod pongMethod) {
        this.endpointClass = endpointClass;
        this.annotation = annotation;
        this.onOpen = onOpen;
        this.onClose = onClose;
        this.onError = onError;
        this.messageMethods = messageMethods;
        this.pongMethod = pongMethod;
    }

    /**
     * Models {@code endpointClass}.
     *
     * @throws IllegalArgumentException naming the class and method if the class cannot be served
     */
    public static EndpointModel of(Class<?> endpointClass) {
        ServerEndpoint annotation = endpointClass.getAnnotation(ServerEndpoint.class);
        if (annotation == null) {
            throw new IllegalArgumentException(endpointClass.getName() + " is not annotated with ServerEndpoint");
        }
        if (Modifier.isAbstract(endpointClass.getModifiers()) || endpointClass.isInterface()) {
            throw new IllegalArgumentException(endpointClass.getName() + " is abstract");
        }
        LifecycleMethod onOpen = null;
        LifecycleMethod onClose = null;
        LifecycleMethod onError = null;
        Map<MessageKind, MessageMethod> messageMethods = new EnumMap<>(MessageKind.class);
        MessageMethod pongMethod = null;
        for (Method method : endpointClass.getMethods()) {
            if (method.isAnnotationPresent(OnOpen.class)) {
                onOpen = only(onOpen, lifecycle(method), OnOpen.class);
            }
            if (method.isAnnotationPresent(OnClose.class)) {
                onClose = only(onClose, lifecycle(method), OnClose.class);
            }
            if (method.isAnnotationPresent(OnError.class)) {
                onError = only(onError, lifecycle(method), OnError.class);
            }
            if (method.isAnnotationPresent(OnMessage.class)) {
                MessageMethod message = messageMethod(method, annotation.decoders());
                if (message.payload() == Payload.PONG) {
                    pongMethod = only(pongMethod, message, OnMessage.class);
                } else if (messageMethods.put(message.kind(), message) != null) {
                    throw new IllegalArgumentException(endpointClass.getName() + " has more than one @OnMessage method for "
                            + message.kind().description() + "s");
                }
            }
        }
        return new EndpointModel(endpointClass, annotation, onOpen, onClose, onError, Map.copyOf(messageMethods),
                pongMethod);
    }

    public Class<?> endpointClass() {
        return endpointClass;
    }

    public ServerEndpoint annotation() {
        return annotation;
    }

    /** The path template, e.g. {@code /echo} or {@code /rooms/{room}}. */
    public String path() {
        return annotation.value();
    }

    public Optional<LifecycleMethod> onOpen() {
        return Optional.ofNullable(onOpen);
    }

    public Optional<LifecycleMethod> onClose() {
        return Optional.ofNullable(onClose);
    }

    public Optional<LifecycleMethod> onError() {
        return Optional.ofNullable(onError);
    }

    /** The method that receives messages of {@code kind}, if the endpoint accepts them. */
    public Optional<MessageMethod> messageMethod(MessageKind kind) {
        return Optional.ofNullable(messageMethods.get(kind));
    }

    public Optional<MessageMethod> pongMethod() {
        return Optional.ofNullable(pongMethod);
    }

    /** {@code @OnMessage(maxMessageSize)} values given on this class, by kind; an annotation-level limit. */
    public Map<MessageKind, Long> annotatedMaxMessageSizes() {
        Map<MessageKind, Long> sizes = new EnumMap<>(MessageKind.class);
        messageMethods.forEach((kind, method) -> {
            long max = method.method().getAnnotation(OnMessage.class).maxMessageSize();
            if (max >= 0) {
                sizes.put(kind, max);
            }
        });
        return sizes;
    }

    private static <T> T only(T existing, T candidate, Class<? extends Annotation> annotation) {
        if (existing != null) {
            throw new IllegalArgumentException("more than one @" + annotation.getSimpleName() + " method: "
                    + existing + " and " + candidate);
        }
        return candidate;
    }

    private static LifecycleMethod lifecycle(Method method) {
        List<Argument> arguments = new ArrayList<>();
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            Optional<Argument> common = commonArgument(method, types[i], annotations[i]);
            if (common.isPresent()) {
                arguments.add(common.get());
            } else if (types[i] == EndpointConfig.class) {
                arguments.add(Call::config);
            } else if (types[i] == CloseReason.class) {
                arguments.add(Call::closeReason);
            } else if (Throwable.class.isAssignableFrom(types[i])) {
                arguments.add(Call::error);
            } else {
                throw unsupported(method, types[i]);
            }
        }
        return new LifecycleMethod(method, List.copyOf(arguments));
    }

    private static MessageMethod messageMethod(Method method, Class<? extends Decoder>[] decoders) {
        List<Argument> arguments = new ArrayList<>();
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        Payload payload = null;
        Class<?> payloadType = null;
        boolean partial = false;
        for (int i = 0; i < types.length; i++) {
            Optional<Argument> common = commonArgument(method, types[i], annotations[i]);
            if (common.isPresent()) {
                arguments.add(common.get());
            } else if (payload == null) {
                payloadType = types[i];
                payload = payloadOf(method, types[i], decoders);
                arguments.add(Call::payload);
            } else if (types[i] == boolean.class && payload.allowsPartial() && !partial) {
                partial = true;
                arguments.add(Call::last);
            } else {
                throw unsupported(method, types[i]);
            }
        }
        if (payload == null) {
            throw new IllegalArgumentException(method + " has no message parameter");
        }
        return new MessageMethod(method, List.copyOf(arguments), payload, payloadType, partial,
                payload == Payload.DECODED ? decodersFor(payloadType, decoders) : List.of());
    }

    private static Optional<Argument> commonArgument(Method method, Class<?> type, Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof PathParam pathParam) {
                String name = pathParam.value();
                if (!PlainText.isConvertible(type)) {
                    throw new IllegalArgumentException(method + ": @PathParam(\"" + name + "\") must be a String, a "
                            + "primitive or a primitive wrapper, not " + type.getName());
                }
                return Optional.of(call -> PlainText.convert(call.session().getPathParameters().get(name), type));
            }
        }
        if (type == Session.class) {
            return Optional.of(Call::session);
        }
        return Optional.empty();
    }

    private static Payload payloadOf(Method method, Class<?> type, Class<? extends Decoder>[] decoders) {
        if (type == String.class) {
            return Payload.STRING;
        }
        if (type == Reader.class) {
            return Payload.READER;
        }
        if (type == byte[].class) {
            return Payload.BYTES;
        }
        if (type == ByteBuffer.class) {
            return Payload.BYTE_BUFFER;
        }
        if (type == InputStream.class) {
            return Payload.INPUT_STREAM;
        }
        if (type == PongMessage.class) {
            return Payload.PONG;
        }
        if (!decodersFor(type, decoders).isEmpty()) {
            return Payload.DECODED;
        }
        if (PlainText.isConvertible(type)) {
            return Payload.PRIMITIVE;
        }
        throw new IllegalArgumentException(method + ": no declared decoder produces " + type.getName());
    }

    private static List<DecoderType> decodersFor(Class<?> type, Class<? extends Decoder>[] decoders) {
        List<DecoderType> matching = new ArrayList<>();
        for (Class<? extends Decoder> decoder : decoders) {
            DecoderType decoderType = DecoderType.of(decoder);
            if (type.isAssignableFrom(decoderType.produces())) {
                matching.add(decoderType);
            }
        }
        if (matching.stream().map(DecoderType::kind).distinct().count() > 1) {
            throw new IllegalArgumentException("decoders for " + type.getName() + " decode both text and binary");
        }
        return List.copyOf(matching);
    }

    private static IllegalArgumentException unsupported(Method method, Class<?> type) {
        return new IllegalArgumentException(method + ": unsupported parameter of type " + type.getName());
    }

    /** What a method call is made from. */
    public record Call(Session session, EndpointConfig config, Object payload, boolean last,
            CloseReason closeReason, Throwable error) {

        static Call lifecycle(Session session, EndpointConfig config, CloseReason closeReason, Throwable error) {
            return new Call(session, config, null, false, closeReason, error);
        }

        static Call message(Session session, Object payload, boolean last) {
            return new Call(session, null, payload, last, null, null);
        }
    }

    /** Produces one argument of a call. */
    @FunctionalInterface
    public interface Argument {
        Object resolve(Call call);
    }

    /** An {@code @OnOpen}, {@code @OnClose} or {@code @OnError} method. */
    public record LifecycleMethod(Method method, List<Argument> arguments) {
        Object[] arguments(Call call) {
            Object[] values = new Object[arguments.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = arguments.get(i).resolve(call);
            }
            return values;
        }
    }

    /** An {@code @OnMessage} method. */
    public record MessageMethod(Method method, List<Argument> arguments, Payload payload, Class<?> payloadType,
            boolean partial, List<DecoderType> decoders) {

        /** Text or binary; pong methods report {@link MessageKind#BINARY} but are never size-checked. */
        public MessageKind kind() {
            return switch (payload) {
                case STRING, READER, PRIMITIVE -> MessageKind.TEXT;
                case DECODED -> decoders.get(0).kind();
                case BYTES, BYTE_BUFFER, INPUT_STREAM, PONG -> MessageKind.BINARY;
            };
        }

        /**
         * Whether the method reads the message as a stream ({@code Reader}, {@code InputStream}, or only
         * stream decoders), so that Sizeguard hands it the parts as they arrive instead of the whole message.
         */
        public boolean streamed() {
            return payload == Payload.READER || payload == Payload.INPUT_STREAM || payload == Payload.DECODED
                    && decoders.stream().allMatch(DecoderType::isStream);
        }

        /** Whether the method never holds the whole message: it takes it as a stream or in parts. */
        public boolean incremental() {
            return partial || streamed();
        }

        Object[] arguments(Call call) {
            Object[] values = new Object[arguments.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = arguments.get(i).resolve(call);
            }
            return values;
        }
    }

    /** How a message method wants its payload. */
    public enum Payload {
        STRING, READER, PRIMITIVE, DECODED, BYTES, BYTE_BUFFER, INPUT_STREAM, PONG;

        boolean allowsPartial() {
            return this == STRING || this == BYTES || this == BYTE_BUFFER;
        }
    }

    /** A declared decoder class, the kind of message it reads and the type it produces. */
    public record DecoderType(Class<? extends Decoder> decoderClass, Class<?> decoderInterface, Class<?> produces) {

        private static final List<Class<?>> INTERFACES = List.of(Decoder.Text.class, Decoder.TextStream.class,
                Decoder.Binary.class, Decoder.BinaryStream.class);

        public MessageKind kind() {
            return decoderInterface == Decoder.Text.class || decoderInterface == Decoder.TextStream.class
                    ? MessageKind.TEXT : MessageKind.BINARY;
        }

        /** Whether the decoder reads a {@code Reader} or {@code InputStream} rather than the whole message. */
        public boolean isStream() {
            return decoderInterface == Decoder.TextStream.class || decoderInterface == Decoder.BinaryStream.class;
        }

        /**
         * Finds the decoder interface and its type argument, also where a generic superclass implements it and a
         * subclass fixes the type ({@code class OrderDecoder extends MessagePackDecoder<Order>}).
         */
        static DecoderType of(Class<? extends Decoder> decoderClass) {
            for (Class<?> decoderInterface : INTERFACES) {
                Type argument = GenericTypes.typeArgument(decoderClass, decoderInterface, 0);
                if (argument != null) {
                    return new DecoderType(decoderClass, decoderInterface, GenericTypes.rawClass(argument));
                }
            }
            throw new IllegalArgumentException(decoderClass.getName() + " does not implement Decoder.Text, "
                    + "Decoder.TextStream, Decoder.Binary or Decoder.BinaryStream with a type argument");
        }
    }
}
