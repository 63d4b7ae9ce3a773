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
    final Session session;

    FakeSession() {
        RemoteEndpoint.Basic remote = (RemoteEndpoint.Basic) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Basic.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "sendText", "sendObject" -> sent.add(args[0]) ? null : null;
                    case "sendBinary" -> sent.add(copy((ByteBuffer) args[0])) ? null : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> "fake-1";
                    case "addMessageHandler" -> handlers.put((Class<?>) args[0], (MessageHandler) args[1]);
                    case "close" -> closes.add((CloseReason) args[0]) ? null : null;
                    case "getBasicRemote" -> remote;
                    case "getPathParameters" -> pathParameters;
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
