package org.sizeguard.internal;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import jakarta.websocket.Session;

import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * An {@code @OnMessage} method bound to one session: the author's endpoint instance and the session its methods get.
 * The last step of the inbound path: a message sink calls {@link #deliver} with the payload the method takes, on the
 * container's thread or a stream reader's; a result goes to the session's bounded send queue, a failure to the
 * session's error path. Nothing comes back to the sink.
 */
final class BoundMethod {

    private final MessageMethod method;
    private final Object endpoint;
    private final Session session;
    private final BooleanSupplier refused;
    private final Consumer<Object> replies;
    private final Consumer<Throwable> failures;

    /**
     * @param refused  whether the session has refused a message (nothing is delivered after that)
     * @param replies  takes a non-null result of the method
     * @param failures takes what the method threw
     */
    BoundMethod(MessageMethod method, Object endpoint, Session session, BooleanSupplier refused,
            Consumer<Object> replies, Consumer<Throwable> failures) {
        this.method = method;
        this.endpoint = endpoint;
        this.session = session;
        this.refused = refused;
        this.replies = replies;
        this.failures = failures;
    }

    void deliver(Object payload, boolean last) {
        if (refused.getAsBoolean()) {
            return;
        }
        Object result;
        try {
            result = method.call(endpoint, session, payload, last);
        } catch (Throwable failure) {
            // Whatever the author's method throws is the session's error, as with a container's own dispatch.
            failures.accept(failure);
            return;
        }
        if (result != null) {
            replies.accept(result);
        }
    }
}
