package org.sizeguard.internal;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

/**
 * A small fake {@link Session} for unit tests: it records the handlers added, what was sent and how it was closed.
 * Methods a test does not need throw {@link UnsupportedOperationException}.
 */
final class FakeSession {

    final Map<Class<?>, MessageHandler> handlers = new HashMap<>();
    final List<Object> sent = new CopyOnWriteArrayList<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    final Map<String, String> pathParameters = new HashMap<>();
    final Map<String, Object> userProperties = new HashMap<>();
    /** Completions of asynchronous sends the fake holds back while {@link #holdSends} is set. */
    final List<SendHandler> heldSends = new CopyOnWriteArrayList<>();
    volatile boolean holdSends;
    /** What {@code isOpen()} answers. */
    volatile boolean open = true;
    /** The container's idle timeout, as {@code get/setMaxIdleTimeout} see it. */
    volatile long maxIdleTimeout;
    final Session session;

    FakeSession() {
        RemoteEndpoint.Basic remote = (RemoteEndpoint.Basic) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Basic.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "sendText", "sendObject" -> sent.add(args[0]) ? null : null;
                    case "sendBinary" -> sent.add(copy((ByteBuffer) args[0])) ? null : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (args == null || args.length != 2 || !(args[1] instanceof SendHandler handler)) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    switch (method.getName()) {
                        case "sendText", "sendObject" -> sent.add(args[0]);
                        case "sendBinary" -> sent.add(copy((ByteBuffer) args[0]));
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    if (holdSends) {
                        heldSends.add(handler);
                    } else {
                        handler.onResult(new SendResult());
                    }
                    return null;
                });
        session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> "fake-1";
                    case "addMessageHandler" -> handlers.put((Class<?>) args[0], (MessageHandler) args[1]);
                    case "close" -> closes.add((CloseReason) args[0]) ? null : null;
                    case "getBasicRemote" -> remote;
                    case "getAsyncRemote" -> async;
                    case "getPathParameters" -> pathParameters;
                    case "getUserProperties" -> userProperties;
                    case "isOpen" -> open;
                    case "getMaxIdleTimeout" -> maxIdleTimeout;
                    case "setMaxIdleTimeout" -> {
                        maxIdleTimeout = (Long) args[0];
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeSession";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @SuppressWarnings("unchecked")
    void text(String part, boolean last) {
        ((MessageHandler.Partial<String>) handlers.get(String.class)).onMessage(part, last);
    }

    @SuppressWarnings("unchecked")
    void binary(byte[] part, boolean last) {
        ((MessageHandler.Partial<ByteBuffer>) handlers.get(ByteBuffer.class)).onMessage(ByteBuffer.wrap(part), last);
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
