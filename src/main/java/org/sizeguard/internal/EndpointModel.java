package org.sizeguard.internal;

import java.io.InputStream;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
import org.sizeguard.transfer.OnTransfer;
import org.sizeguard.transfer.ReceivedTransfer;

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

    /** Where the session is in every binding's shape (the endpoint instance is at 0). */
    private static final int SESSION = 1;

    /** {@code (name, type, session) -> value}: {@link #pathParameter}. */
    private static final MethodHandle PATH_PARAMETER;

    static {
        try {
            PATH_PARAMETER = MethodHandles.lookup().findStatic(EndpointModel.class, "pathParameter",
                    MethodType.methodType(Object.class, String.class, Class.class, Session.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Class<?> endpointClass;
    private final ServerEndpoint annotation;
    private final LifecycleMethod onOpen;
    private final LifecycleMethod onClose;
    private final LifecycleMethod onError;
    private final Map<MessageKind, MessageMethod> messageMethods;
    private final MessageMethod pongMethod;
    private final TransferMethod transferMethod;

    private EndpointModel(Class<?> endpointClass, ServerEndpoint annotation, LifecycleMethod onOpen,
            LifecycleMethod onClose, LifecycleMethod onError, Map<MessageKind, MessageMethod> messageMethods,
            MessageMethod pongMethod, TransferMethod transferMethod) {
        this.endpointClass = endpointClass;
        this.annotation = annotation;
        this.onOpen = onOpen;
        this.onClose = onClose;
        this.onError = onError;
        this.messageMethods = messageMethods;
        this.pongMethod = pongMethod;
        this.transferMethod = transferMethod;
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
        TransferMethod transferMethod = null;
        for (Method method : endpointClass.getMethods()) {
            if (method.isAnnotationPresent(OnTransfer.class)) {
                transferMethod = only(transferMethod, transferMethod(method), OnTransfer.class);
            }
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
                pongMethod, transferMethod);
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

    /** The {@link OnTransfer} method, if the endpoint takes chunked transfers. */
    public Optional<TransferMethod> transferMethod() {
        return Optional.ofNullable(transferMethod);
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
        List<Parameter> parameters = new ArrayList<>();
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            Optional<Parameter> common = commonParameter(method, types[i], annotations[i]);
            if (common.isPresent()) {
                parameters.add(common.get());
            } else if (types[i] == EndpointConfig.class) {
                parameters.add(Parameter.of(LifecycleMethod.CONFIG));
            } else if (types[i] == CloseReason.class) {
                parameters.add(Parameter.of(LifecycleMethod.CLOSE_REASON));
            } else if (Throwable.class.isAssignableFrom(types[i])) {
                parameters.add(Parameter.of(LifecycleMethod.ERROR));
            } else {
                throw unsupported(method, types[i]);
            }
        }
        return new LifecycleMethod(method, bind(method, LifecycleMethod.SHAPE, parameters));
    }

    private static TransferMethod transferMethod(Method method) {
        List<Parameter> parameters = new ArrayList<>();
        boolean transfer = false;
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            Optional<Parameter> common = commonParameter(method, types[i], annotations[i]);
            if (common.isPresent()) {
                parameters.add(common.get());
            } else if (types[i] == ReceivedTransfer.class && !transfer) {
                transfer = true;
                parameters.add(Parameter.of(TransferMethod.TRANSFER));
            } else {
                throw unsupported(method, types[i]);
            }
        }
        if (!transfer) {
            throw new IllegalArgumentException(method + " has no ReceivedTransfer parameter");
        }
        return new TransferMethod(method, bind(method, TransferMethod.SHAPE, parameters));
    }

    private static MessageMethod messageMethod(Method method, Class<? extends Decoder>[] decoders) {
        List<Parameter> parameters = new ArrayList<>();
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        Payload payload = null;
        Class<?> payloadType = null;
        boolean partial = false;
        for (int i = 0; i < types.length; i++) {
            Optional<Parameter> common = commonParameter(method, types[i], annotations[i]);
            if (common.isPresent()) {
                parameters.add(common.get());
            } else if (payload == null) {
                payloadType = types[i];
                payload = payloadOf(method, types[i], decoders);
                parameters.add(Parameter.of(MessageMethod.PAYLOAD));
            } else if (types[i] == boolean.class && payload.allowsPartial() && !partial) {
                partial = true;
                parameters.add(Parameter.of(MessageMethod.LAST));
            } else {
                throw unsupported(method, types[i]);
            }
        }
        if (payload == null) {
            throw new IllegalArgumentException(method + " has no message parameter");
        }
        List<DecoderType> decoderTypes = List.of();
        if (payload == Payload.DECODED) {
            decoderTypes = decodersFor(payloadType, decoders);
            if (decoderTypes.isEmpty()) {
                decoderTypes = List.of(DecoderType.builtIn(PlainText.decoder(payloadType), payloadType));
            }
        }
        return new MessageMethod(method, bind(method, MessageMethod.SHAPE, parameters), payload, payloadType, partial,
                decoderTypes);
    }

    private static Optional<Parameter> commonParameter(Method method, Class<?> type, Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof PathParam pathParam) {
                String name = pathParam.value();
                if (!PlainText.isConvertible(type)) {
                    throw new IllegalArgumentException(method + ": @PathParam(\"" + name + "\") must be a String, a "
                            + "primitive or a primitive wrapper, not " + type.getName());
                }
                return Optional.of(new Parameter(SESSION,
                        MethodHandles.insertArguments(PATH_PARAMETER, 0, name, type)));
            }
        }
        if (type == Session.class) {
            return Optional.of(Parameter.of(SESSION));
        }
        return Optional.empty();
    }

    private static Payload payloadOf(Method method, Class<?> type, Class<? extends Decoder>[] decoders) {
        if ((type == String.class || type == byte[].class || type == ByteBuffer.class)
                && !decodersFor(type, decoders).isEmpty()) {
            // A declared decoder that produces the parameter's type is the author's choice, as on Tyrus: e.g. an
            // InflatingDecoder<String> takes compressed binary messages for a String parameter.
            return Payload.DECODED;
        }
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
        if (!decodersFor(type, decoders).isEmpty() || PlainText.isConvertible(type)) {
            // A primitive without a declared decoder gets Sizeguard's own: one path for every decoded payload.
            return Payload.DECODED;
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

    /** The value of a path parameter as the type of the method's parameter; bound per parameter at deployment. */
    private static Object pathParameter(String name, Class<?> type, Session session) {
        return PlainText.convert(session.getPathParameters().get(name), type);
    }

    /** Where a method parameter comes from: a parameter of the shape, optionally converted by {@code filter}. */
    private record Parameter(int from, MethodHandle filter) {
        static Parameter of(int from) {
            return new Parameter(from, null);
        }
    }

    /**
     * Binds {@code method} to a handle of type {@code shape}: the endpoint instance first, then what the calls of
     * this kind of method are made from; each of the method's parameters is picked from {@code shape} (and
     * converted where it names a filter), and the result is an {@code Object} ({@code null} for {@code void}).
     */
    private static MethodHandle bind(Method method, MethodType shape, List<Parameter> parameters) {
        MethodHandle handle;
        try {
            // A public method of a class that is not public (a nested endpoint class) needs this; others do not.
            method.trySetAccessible();
            handle = MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException(method + " cannot be called: " + e.getMessage(), e);
        }
        handle = handle.asType(handle.type().changeParameterType(0, Object.class).changeReturnType(Object.class));
        int[] order = new int[parameters.size() + 1];
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            int position = i + 1;
            if (parameter.filter() != null) {
                MethodHandle filter = parameter.filter();
                handle = MethodHandles.filterArguments(handle, position,
                        filter.asType(filter.type().changeReturnType(handle.type().parameterType(position))));
            }
            handle = handle.asType(handle.type().changeParameterType(position, shape.parameterType(parameter.from())));
            order[position] = parameter.from();
        }
        return MethodHandles.permuteArguments(handle, shape, order);
    }

    /** An {@code @OnOpen}, {@code @OnClose} or {@code @OnError} method, bound to one handle of {@link #SHAPE}. */
    public record LifecycleMethod(Method method, MethodHandle invoker) {

        /** {@code (endpoint, session, config, closeReason, error) -> result}; unused arguments may be null. */
        static final MethodType SHAPE = MethodType.methodType(Object.class, Object.class, Session.class,
                EndpointConfig.class, CloseReason.class, Throwable.class);
        static final int CONFIG = 2;
        static final int CLOSE_REASON = 3;
        static final int ERROR = 4;

        /** Calls the method on {@code endpoint}; what the method throws, this throws. */
        Object call(Object endpoint, Session session, EndpointConfig config, CloseReason closeReason, Throwable error)
                throws Throwable {
            return (Object) invoker.invokeExact(endpoint, session, config, closeReason, error);
        }
    }

    /** An {@code @OnMessage} method, bound to one handle of {@link #SHAPE}. */
    public record MessageMethod(Method method, MethodHandle invoker, Payload payload, Class<?> payloadType,
            boolean partial, List<DecoderType> decoders) {

        /** {@code (endpoint, session, payload, last) -> result}. */
        static final MethodType SHAPE = MethodType.methodType(Object.class, Object.class, Session.class, Object.class,
                boolean.class);
        static final int PAYLOAD = 2;
        static final int LAST = 3;

        /** Text or binary; pong methods report {@link MessageKind#BINARY} but are never size-checked. */
        public MessageKind kind() {
            return switch (payload) {
                case STRING, READER -> MessageKind.TEXT;
                case DECODED -> decoders.get(0).kind();
                case BYTES, BYTE_BUFFER, INPUT_STREAM, PONG -> MessageKind.BINARY;
            };
        }

        /** How the method takes its messages, which decides the session's message sink for them. */
        public Delivery delivery() {
            if (partial) {
                return Delivery.PARTS;
            }
            return payload == Payload.READER || payload == Payload.INPUT_STREAM || payload == Payload.DECODED
                    && decoders.stream().allMatch(DecoderType::isStream) ? Delivery.STREAM : Delivery.WHOLE;
        }

        /** Whether the method never holds the whole message: it takes it as a stream or in parts. */
        public boolean incremental() {
            return delivery() != Delivery.WHOLE;
        }

        /** Calls the method on {@code endpoint}; what the method throws, this throws. */
        Object call(Object endpoint, Session session, Object payload, boolean last) throws Throwable {
            return (Object) invoker.invokeExact(endpoint, session, payload, last);
        }
    }

    /** An {@link OnTransfer} method, bound to one handle of {@link #SHAPE}. */
    public record TransferMethod(Method method, MethodHandle invoker) {

        /** {@code (endpoint, session, transfer) -> result}; a result is ignored (the receipt is the answer). */
        static final MethodType SHAPE = MethodType.methodType(Object.class, Object.class, Session.class,
                ReceivedTransfer.class);
        static final int TRANSFER = 2;

        /** Calls the method on {@code endpoint}; what the method throws, this throws. */
        void call(Object endpoint, Session session, ReceivedTransfer transfer) throws Throwable {
            Object ignored = (Object) invoker.invokeExact(endpoint, session, transfer);
        }
    }

    /** How a message method takes its messages. */
    public enum Delivery {
        /** The whole message, joined by Sizeguard (converted or decoded where the method asks). */
        WHOLE,
        /** Each part as it arrives, with {@code boolean last}. */
        PARTS,
        /** A {@code Reader} or {@code InputStream} (or a stream decoder reading one) fed as the parts arrive. */
        STREAM
    }

    /** How a message method wants its payload. */
    public enum Payload {
        STRING, READER, DECODED, BYTES, BYTE_BUFFER, INPUT_STREAM, PONG;

        boolean allowsPartial() {
            return this == STRING || this == BYTES || this == BYTE_BUFFER;
        }
    }

    /**
     * A decoder class, the kind of message it reads and the type it produces: declared by the endpoint (created for
     * each session), or one of Sizeguard's own, stateless and {@code shared} by every session.
     */
    public record DecoderType(Class<? extends Decoder> decoderClass, Class<?> decoderInterface, Class<?> produces,
            Decoder shared) {

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

        static DecoderType builtIn(Decoder.Text<?> decoder, Class<?> produces) {
            return new DecoderType(decoder.getClass(), Decoder.Text.class, produces, decoder);
        }

        /**
         * Finds the decoder interface and its type argument, also where a generic superclass implements it and a
         * subclass fixes the type ({@code class OrderDecoder extends MessagePackDecoder<Order>}).
         */
        static DecoderType of(Class<? extends Decoder> decoderClass) {
            for (Class<?> decoderInterface : INTERFACES) {
                Type argument = GenericTypes.typeArgument(decoderClass, decoderInterface, 0);
                if (argument != null) {
                    return new DecoderType(decoderClass, decoderInterface, GenericTypes.rawClass(argument), null);
                }
            }
            throw new IllegalArgumentException(decoderClass.getName() + " does not implement Decoder.Text, "
                    + "Decoder.TextStream, Decoder.Binary or Decoder.BinaryStream with a type argument");
        }
    }
}
