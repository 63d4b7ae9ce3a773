package org.sizeguard.internal;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import jakarta.websocket.Session;

import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * A message method bound to one session: the author's {@code @OnMessage} method with its endpoint instance and the
 * session its methods get, or a method of the transfer protocol. The last step of the inbound path: a message sink
 * calls {@link #deliver} with the payload the method takes, on the container's thread or a stream reader's; a result
 * goes to the session's bounded send queue, a failure to the session's error path. Nothing comes back to the sink.
 */
final class BoundMethod {

    /** What the method does with one payload; what it returns is sent back unless {@code null}. */
    @FunctionalInterface
    interface Call {
        Object call(Object payload, boolean last) throws Throwable;
    }

    private final Call call;
    private final BooleanSupplier refused;
    private final Consumer<Object> replies;
    private final Consumer<Throwable> failures;

    /**
     * @param refused  whether the session has refused a message (nothing is delivered after that)
     * @param replies  takes a non-null result of the method
     * @param failures takes what the method threw
     */
    BoundMethod(Call call, BooleanSupplier refused, Consumer<Object> replies, Consumer<Throwable> failures) {
        this.call = call;
        this.refused = refused;
        this.replies = replies;
        this.failures = failures;
    }

    /** The author's {@code method} on {@code endpoint}, with {@code session} for its session parameter. */
    BoundMethod(MessageMethod method, Object endpoint, Session session, BooleanSupplier refused,
            Consumer<Object> replies, Consumer<Throwable> failures) {
        this((payload, last) -> method.call(endpoint, session, payload, last), refused, replies, failures);
    }

    void deliver(Object payload, boolean last) {
        if (refused.getAsBoolean()) {
            return;
        }
        Object result;
        try {
            result = call.call(payload, last);
        } catch (Throwable failure) {
            // Whatever the method throws is the session's error, as with a container's own dispatch.
            failures.accept(failure);
            return;
        }
        if (result != null) {
            replies.accept(result);
        }
    }
}
