package org.sizeguard.internal;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EncodeException;
import jakarta.websocket.EndpointConfig;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.EndpointModel.LifecycleMethod;
import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * The author's side of one guarded session: the instance of the author's endpoint class, the session its methods get
 * ({@link GuardedSession}, whose sends are bounded), its {@code @OnOpen}, {@code @OnClose} and {@code @OnError}
 * methods, its message methods bound for delivery ({@link #bind}), and what becomes of what they throw: a
 * {@link SizeguardCloseException} ends the session through its {@link SessionClose}, anything else goes to the
 * author's {@code @OnError} method, or to the log if there is none.
 */
final class AuthorEndpoint {

    private static final Logger LOG = Logger.getLogger(AuthorEndpoint.class.getName());

    private final EndpointModel model;
    private final ManagedInstance<?> instance;
    private final GuardedSession session;
    private final EndpointConfig config;
    private final SessionClose close;
    private final Outbound outbound;

    AuthorEndpoint(EndpointModel model, ManagedInstance<?> instance, GuardedSession session, EndpointConfig config,
            SessionClose close, Outbound outbound) {
        this.model = model;
        this.instance = instance;
        this.session = session;
        this.config = config;
        this.close = close;
        this.outbound = outbound;
    }

    /** The author's endpoint instance of this session. */
    Object instance() {
        return instance.get();
    }

    /** What the author's methods get as their session. */
    GuardedSession session() {
        return session;
    }

    /**
     * The author's {@code method} bound to this session: results are sent back, failures handled as the author's
     * errors. A method that may read its message on a stream thread ends the session from there, so its close is
     * made on a close thread.
     */
    BoundMethod bind(MessageMethod method) {
        boolean streamThread = method.delivery() == EndpointModel.Delivery.STREAM;
        return new BoundMethod(method, instance.get(), session, close::hasRefused, this::reply,
                error -> failed(error, method.kind(), streamThread));
    }

    /** A method of Sizeguard's own for messages of {@code kind} (the transfer protocol's), bound likewise. */
    BoundMethod bind(MessageKind kind, BoundMethod.Call call) {
        return new BoundMethod(call, close::hasRefused, this::reply, error -> failed(error, kind, false));
    }

    void opened() {
        model.onOpen().ifPresent(method -> invoke(method, null, null));
    }

    void closed(CloseReason reason) {
        model.onClose().ifPresent(method -> invoke(method, reason, null));
    }

    /** The container reports an error of the session, on its thread. */
    void failed(Throwable error) {
        failed(error, MessageKind.TEXT, false);
    }

    /**
     * @param kind        the kind of message being handled, reported for a close exception that does not name one
     * @param streamThread whether this runs on one of Sizeguard's stream threads
     */
    private void failed(Throwable error, MessageKind kind, boolean streamThread) {
        if (error instanceof SizeguardCloseException refusal) {
            if (streamThread) {
                close.rejectElsewhere(SessionClose.kindOf(refusal, kind), 0, refusal);
            } else {
                close.reject(SessionClose.kindOf(refusal, kind), 0, refusal);
            }
            return;
        }
        if ((close.hasRefused() || close.ended()) && error instanceof IOException) {
            // A stream reader saw the message it was reading refused, or its client leave; the session is ending.
            return;
        }
        if (model.onError().isPresent()) {
            invoke(model.onError().get(), null, error);
        } else {
            LOG.log(Level.WARNING, "error on session " + session.getId() + " of " + model.path()
                    + " and no @OnError method in " + model.endpointClass().getName(), error);
        }
    }

    /** Sends a method's result back without blocking, bounded by the session's send queue. */
    private void reply(Object result) {
        outbound.send(result).whenComplete((sent, failure) -> {
            if (failure instanceof EncodeException encoding) {
                failed(encoding);
            } else if (failure != null && !(failure instanceof SizeguardCloseException) && !close.ended()) {
                LOG.log(Level.FINE, "a reply on session " + session.getId() + " of " + model.path() + " failed",
                        failure);
            }
        });
    }

    /** Calls a lifecycle method of the author's; what it throws is the session's error (but not an error's). */
    private void invoke(LifecycleMethod method, CloseReason closeReason, Throwable error) {
        try {
            method.call(instance.get(), session, config, closeReason, error);
        } catch (Throwable failure) {
            if (error == null) {
                failed(failure);
            } else {
                LOG.log(Level.WARNING, "the @OnError method of " + model.endpointClass().getName() + " failed",
                        failure);
            }
        }
    }
}
