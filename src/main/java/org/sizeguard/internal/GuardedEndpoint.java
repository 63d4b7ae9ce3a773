package org.sizeguard.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.Utf8;
import org.sizeguard.internal.EndpointModel.Call;
import org.sizeguard.internal.EndpointModel.DecoderType;
import org.sizeguard.internal.EndpointModel.LifecycleMethod;
import org.sizeguard.internal.EndpointModel.MessageMethod;
import org.sizeguard.internal.frames.RelayingUpgradeHandler;

/**
 * The endpoint the container really runs for an annotated {@code @ServerEndpoint} class: one instance per
 * session, wrapping one instance of the author's class.
 * <p>
 * It registers <em>partial</em> message handlers, so that it sees each message part as the container reads it,
 * counts the message's bytes against the {@link MessageSizePolicy} before keeping a part, and rejects an
 * over-limit message with 1009 through {@link Rejections} without buffering more than the limit. Whole messages
 * that pass are decoded with the author's declared decoders and handed to the author's {@code @OnMessage}
 * method; a non-void result is sent back. Containers never call one session's handlers in parallel, so this
 * class needs no locking.
 */
public final class GuardedEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(GuardedEndpoint.class.getName());

    private final EndpointModel model;
    private final MessageSizePolicy policy;
    private final ManagedInstance<?> author;
    private final Rejections rejections;
    private final List<ManagedInstance<? extends Decoder>> decoders = new ArrayList<>();
    private final TextAssembler text;
    private final BinaryAssembler binary;
    private Session session;
    private EndpointConfig config;
    private volatile boolean rejected;

    GuardedEndpoint(EndpointModel model, MessageSizePolicy policy, ManagedInstance<?> author, Rejections rejections) {
        this.model = model;
        this.policy = policy;
        this.author = author;
        this.rejections = rejections;
        this.text = new TextAssembler(policy.maxTextBytes());
        this.binary = new BinaryAssembler(policy.maxBinaryBytes());
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        this.config = config;
        // Where the container reads through a FrameRelay (Tyrus), over-limit frames are refused from their header.
        RelayingUpgradeHandler.opening().ifPresent(relay -> relay.attach(policy,
                tooBig -> reject(tooBig.kind(), tooBig.observedBytes(), tooBig)));
        createDecoders();
        model.messageMethod(MessageKind.TEXT).ifPresent(method ->
                session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onTextPart));
        model.messageMethod(MessageKind.BINARY).ifPresent(method ->
                session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinaryPart));
        model.pongMethod().ifPresent(method -> session.addMessageHandler(PongMessage.class,
                (MessageHandler.Whole<PongMessage>) pong -> deliver(method, pong, true)));
        model.onOpen().ifPresent(method -> invoke(method, Call.lifecycle(session, config, null, null)));
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        try {
            model.onClose().ifPresent(method -> invoke(method, Call.lifecycle(session, config, closeReason, null)));
        } finally {
            text.release();
            binary.release();
            for (ManagedInstance<? extends Decoder> decoder : decoders) {
                destroy(decoder);
            }
            decoders.clear();
            author.release();
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        handleError(error);
    }

    private void onTextPart(String part, boolean last) {
        if (rejected) {
            return;
        }
        MessageMethod method = model.messageMethod(MessageKind.TEXT).orElseThrow();
        String whole;
        try {
            whole = text.append(part, last, !method.partial());
        } catch (SizeguardCloseException tooBig) {
            reject(MessageKind.TEXT, 0, tooBig);
            return;
        }
        if (method.partial()) {
            deliver(method, part, last);
        } else if (whole != null) {
            try {
                deliver(method, textPayload(method, whole), true);
            } catch (SizeguardCloseException undecodable) {
                reject(MessageKind.TEXT, Utf8.encodedLength(whole), undecodable);
            }
        }
    }

    private void onBinaryPart(ByteBuffer part, boolean last) {
        if (rejected) {
            return;
        }
        MessageMethod method = model.messageMethod(MessageKind.BINARY).orElseThrow();
        ByteBuffer whole;
        try {
            whole = binary.append(part, last, !method.partial());
        } catch (SizeguardCloseException tooBig) {
            reject(MessageKind.BINARY, 0, tooBig);
            return;
        }
        if (method.partial()) {
            deliver(method, method.payloadType() == byte[].class ? bytes(part) : part, last);
        } else if (whole != null) {
            try {
                deliver(method, binaryPayload(method, whole), true);
            } catch (SizeguardCloseException undecodable) {
                reject(MessageKind.BINARY, whole.remaining(), undecodable);
            }
        }
    }

    private Object textPayload(MessageMethod method, String message) {
        switch (method.payload()) {
            case STRING:
                return message;
            case READER:
                return new StringReader(message);
            case PRIMITIVE:
                try {
                    return PlainText.convert(message, method.payloadType());
                } catch (IllegalArgumentException notANumber) {
                    throw new UndecodableMessageException("text message is not a "
                            + method.payloadType().getSimpleName(), notANumber);
                }
            default:
                return decode(method, message, null);
        }
    }

    private Object binaryPayload(MessageMethod method, ByteBuffer message) {
        switch (method.payload()) {
            case BYTE_BUFFER:
                return message;
            case BYTES:
                return bytes(message);
            case INPUT_STREAM:
                return new ByteArrayInputStream(message.array(), message.arrayOffset() + message.position(),
                        message.remaining());
            default:
                return decode(method, null, message);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object decode(MessageMethod method, String textMessage, ByteBuffer binaryMessage) {
        String what = method.kind().description() + " could not be decoded as " + method.payloadType().getSimpleName();
        try {
            for (ManagedInstance<? extends Decoder> instance : decoders) {
                Decoder decoder = instance.get();
                if (!method.decoders().stream().anyMatch(type -> type.decoderClass() == decoder.getClass())) {
                    continue;
                }
                if (decoder instanceof Decoder.Text textDecoder && textDecoder.willDecode(textMessage)) {
                    return textDecoder.decode(textMessage);
                }
                if (decoder instanceof Decoder.TextStream streamDecoder) {
                    return streamDecoder.decode(new StringReader(textMessage));
                }
                if (decoder instanceof Decoder.Binary binaryDecoder && binaryDecoder.willDecode(binaryMessage.duplicate())) {
                    return binaryDecoder.decode(binaryMessage);
                }
                if (decoder instanceof Decoder.BinaryStream streamDecoder) {
                    return streamDecoder.decode(new ByteArrayInputStream(bytes(binaryMessage)));
                }
            }
        } catch (DecodeException | IOException e) {
            throw new UndecodableMessageException(what + ": " + e.getMessage(), e);
        }
        throw new UndecodableMessageException(what, null);
    }

    private void deliver(MessageMethod method, Object payload, boolean last) {
        Object result;
        try {
            result = method.method().invoke(author.get(), method.arguments(Call.message(session, payload, last)));
        } catch (InvocationTargetException e) {
            handleError(e.getCause());
            return;
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            handleError(e);
            return;
        }
        if (result != null) {
            reply(result);
        }
    }

    private void reply(Object result) {
        try {
            if (result instanceof String string) {
                session.getBasicRemote().sendText(string);
            } else if (result instanceof ByteBuffer buffer) {
                session.getBasicRemote().sendBinary(buffer);
            } else if (result instanceof byte[] bytes) {
                session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
            } else {
                session.getBasicRemote().sendObject(result);
            }
        } catch (IOException | EncodeException e) {
            handleError(e);
        }
    }

    private void invoke(LifecycleMethod method, Call call) {
        try {
            method.method().invoke(author.get(), method.arguments(call));
        } catch (InvocationTargetException e) {
            if (call.error() == null) {
                handleError(e.getCause());
            } else {
                LOG.log(Level.WARNING, "the @OnError method of " + model.endpointClass().getName() + " failed",
                        e.getCause());
            }
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot call " + method.method(), e);
        }
    }

    private void handleError(Throwable error) {
        if (error instanceof SizeguardCloseException rejection) {
            reject(rejection instanceof MessageTooBigException tooBig ? tooBig.kind() : MessageKind.TEXT, 0, rejection);
            return;
        }
        if (model.onError().isPresent()) {
            invoke(model.onError().get(), Call.lifecycle(session, config, null, error));
        } else {
            LOG.log(Level.WARNING, "error on session " + (session == null ? "?" : session.getId()) + " of "
                    + model.path() + " and no @OnError method in " + model.endpointClass().getName(), error);
        }
    }

    /**
     * Ends the session through the one rejection path, once; later parts of the message are ignored.
     *
     * @param observedBytes bytes of the message received, where the exception does not say (a too-big one does)
     */
    private void reject(MessageKind kind, long observedBytes, SizeguardCloseException rejection) {
        if (rejected) {
            return;
        }
        rejected = true;
        text.release();
        binary.release();
        rejections.reject(session, model.path(), kind, observedBytes, rejection);
    }

    private void createDecoders() {
        Set<Class<? extends Decoder>> classes = new LinkedHashSet<>();
        for (MessageKind kind : MessageKind.values()) {
            model.messageMethod(kind).ifPresent(method -> method.decoders().stream()
                    .map(DecoderType::decoderClass).forEach(classes::add));
        }
        for (Class<? extends Decoder> decoderClass : classes) {
            ManagedInstance<? extends Decoder> decoder =
                    PolicyContext.with(policy, () -> ManagedInstance.create(decoderClass));
            decoder.get().init(config);
            decoders.add(decoder);
        }
    }

    private static void destroy(ManagedInstance<? extends Decoder> decoder) {
        try {
            decoder.get().destroy();
        } finally {
            decoder.release();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
