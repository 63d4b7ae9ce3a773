package org.sizeguard.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.UnacceptableMessageException;
import org.sizeguard.internal.EndpointModel.DecoderType;
import org.sizeguard.internal.EndpointModel.LifecycleMethod;
import org.sizeguard.internal.EndpointModel.MessageMethod;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.transfer.TransferSession;
import org.sizeguard.transfer.OnTransfer;
import org.sizeguard.transfer.ReceivedTransfer;

/**
 * The endpoint the container really runs for an annotated {@code ServerEndpoint} class: one instance per
 * session, wrapping one instance of the author's class.
 * <p>
 * It registers <em>partial</em> message handlers, so that it sees each message part as the container reads it,
 * and hands each part to the {@link MessageSink} chosen for the kind when the session opened: the sink counts the
 * message's bytes against the {@link MessageSizePolicy} before keeping or passing on a part, and an over-limit
 * message is rejected with 1009 through {@link Rejections} without holding more than the limit. Messages that pass
 * reach the author's {@code @OnMessage} method ({@link BoundMethod}) whole, in parts or as a stream, decoded with the
 * author's declared decoders where it asks; a non-void
 * result is sent back through the session's bounded send queue ({@link Outbound}), and the author's methods get a
 * {@link GuardedSession} whose own sends go through the same queue. Where the container reads through a frame relay
 * (Tyrus), the relay refuses over-limit frames from their header and framing violations with 1002, and reports each
 * message's start, so its completion deadline starts at its first byte.
 * <p>
 * A session ends once: by the container's {@code onClose}, or, if the container never reports a session it has
 * lost, by Sizeguard itself (after a rejection's grace, or when the container's session says it is closed), so that
 * what the session held is always released.
 */
public final class GuardedEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(GuardedEndpoint.class.getName());

    /** How long after its connection ended (Payara's relay sees it) a session may stay unreported closed. */
    private static final long CONNECTION_END_GRACE_MILLIS = 3000;

    private final EndpointModel model;
    private final MessageSizePolicy policy;
    private final ManagedInstance<?> author;
    private final GuardRuntime runtime;
    /** The author's declared decoders, one instance of each class for this session. */
    private final List<ManagedInstance<? extends Decoder>> decoders = new ArrayList<>();
    /** Where text and binary messages go; set once when the session is admitted. */
    private volatile MessageSink<String> textSink;
    private volatile MessageSink<ByteBuffer> binarySink;
    private final AtomicBoolean rejected = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean sendFailureSeen = new AtomicBoolean();
    private Session session;
    private EndpointConfig config;
    private Outbound outbound;
    private final GuardRuntime.Checked check = this::check;
    /** Periodic checks in a row that found the container's session closed while onClose has not come. */
    private int closedWithoutNotice;
    /** What the author's methods get: the session with bounded sends. */
    private GuardedSession authorSession;
    /** The session's place under the session caps; {@code null} if it was refused one. */
    private SessionAdmission.Admission admission;
    /** The connection under this session, where the server's adapter sees it (Payara's frame relay). */
    private GuardedConnection connection;
    private IdleTimeout idleTimeout;
    /** The transfer protocol, on a connection that negotiated it; {@code null} on every other. */
    private TransferSession transfers;
    private final AtomicBoolean idleClosed = new AtomicBoolean();
    private final EndpointCounters counters;

    GuardedEndpoint(EndpointModel model, MessageSizePolicy policy, ManagedInstance<?> author, GuardRuntime runtime) {
        this.model = model;
        this.policy = policy;
        this.author = author;
        this.runtime = runtime;
        this.counters = runtime.stats().endpoint(model.path());
    }

    /** The methods of the transfer protocol, which take the messages of a connection that negotiated it. */
    private static final Map<MessageKind, MessageMethod> TRANSFER_METHODS =
            EndpointModel.handlerMethods(TransferSession.class);

    /** The method that takes messages of {@code kind} on this session: the author's, or the transfer protocol's. */
    private Optional<MessageMethod> messageMethod(MessageKind kind) {
        return transfers != null ? Optional.ofNullable(TRANSFER_METHODS.get(kind)) : model.messageMethod(kind);
    }

    /**
     * The limit that applies to messages of {@code kind} on this endpoint: the sink's, and the frame relay's. The
     * transfer protocol takes its chunks in parts but each is a message within the message limit, not a stream.
     */
    private long limit(MessageKind kind) {
        if (transfers != null) {
            return policy.limit(kind);
        }
        return messageMethod(kind).map(method -> policy.limit(kind, method.incremental()))
                .orElse(policy.limit(kind));
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        this.config = config;
        if (model.transferMethod().isPresent() && OnTransfer.SUBPROTOCOL.equals(session.getNegotiatedSubprotocol())) {
            transfers = new TransferSession(runtime.transfers(), policy, this::receive, deadlinePassed -> {
                counters.deadlineExpired();
                reject(MessageKind.BINARY, 0, deadlinePassed);
            });
        }
        runtime.stats().sessionOpened();
        outbound = new Outbound(session.getAsyncRemote(), runtime.limits().maxOutboundBytes(),
                runtime.limits().sendTimeout(), runtime.budget(), runtime.stats(),
                refusal -> reject(MessageKind.TEXT, 0, refusal, true), this::sendFailed);
        connection = runtime.adapter().opening().orElse(null);
        if (connection != null) {
            connection.attach(this::limit, new Connection());
            GuardedConnection seen = connection;
            idleTimeout = IdleTimeout.kept(session,
                    () -> Math.max(seen.lastInputNanos(), outbound.lastActivityNanos()));
            runtime.adapter().idleTimeoutKept(session);
        } else {
            idleTimeout = IdleTimeout.containers(session);
            runtime.adapter().attachExtensions(session, this::limit, new Connection());
        }
        runtime.watch(check);
        authorSession = new GuardedSession(session, outbound, runtime.limits().sendTimeout().toMillis(),
                runtime::guarded, idleTimeout);
        runtime.opened(authorSession);
        Object address = session.getUserProperties().remove(GuardedConfigurator.CLIENT_ADDRESS);
        try {
            admission = runtime.admission().admit(address instanceof String known ? known : null);
        } catch (BudgetExhaustedException full) {
            // Refused before the author's endpoint sees the session: no handlers, no onOpen, and so no onClose.
            reject(MessageKind.TEXT, 0, full);
            return;
        }
        Map<Class<?>, Decoder> decoderInstances = createDecoders();
        messageMethod(MessageKind.TEXT).ifPresent(method -> {
            MessageSink<String> sink = MessageSink.text(method, decodersOf(method, decoderInstances),
                    limits(MessageKind.TEXT), runtime, counters, this::reject, bind(method));
            textSink = sink;
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) sink::accept);
        });
        messageMethod(MessageKind.BINARY).ifPresent(method -> {
            MessageSink<ByteBuffer> sink = MessageSink.binary(method, decodersOf(method, decoderInstances),
                    limits(MessageKind.BINARY), runtime, counters, this::reject, bind(method));
            binarySink = sink;
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) sink::accept);
        });
        // A kind the author takes no messages of is refused at its first part, not dropped without an answer.
        if (messageMethod(MessageKind.TEXT).isEmpty()) {
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) ->
                    reject(MessageKind.TEXT, 0, new UnacceptableMessageException(MessageKind.TEXT)));
        }
        if (messageMethod(MessageKind.BINARY).isEmpty()) {
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) ->
                    reject(MessageKind.BINARY, 0, new UnacceptableMessageException(MessageKind.BINARY)));
        }
        model.pongMethod().ifPresent(method -> {
            BoundMethod pongs = bind(method);
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong ->
                    pongs.deliver(pong, true));
        });
        model.onOpen().ifPresent(method -> invoke(method, null, null));
    }

    private MessageSink.Limits limits(MessageKind kind) {
        return new MessageSink.Limits(limit(kind), policy.completionTimeout());
    }

    /**
     * {@code method} bound to this session: the author's instance (the transfer protocol's, for its methods), the
     * guarded session, replies and errors.
     */
    private BoundMethod bind(MessageMethod method) {
        Object target = transfers != null && TRANSFER_METHODS.containsValue(method) ? transfers : author.get();
        return new BoundMethod(method, target, authorSession, rejected::get, this::reply,
                error -> handleError(error, method.kind()));
    }

    /** A verified transfer, to the author's {@code @OnTransfer} method; what it throws, this throws. */
    private void receive(ReceivedTransfer transfer) throws Exception {
        try {
            model.transferMethod().orElseThrow().call(author.get(), authorSession, transfer);
        } catch (Exception | Error thrown) {
            throw thrown;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
        }
    }

    /** The sinks of this session, for releasing what they hold. */
    private List<MessageSink<?>> sinks() {
        List<MessageSink<?>> sinks = new ArrayList<>(2);
        if (textSink != null) {
            sinks.add(textSink);
        }
        if (binarySink != null) {
            sinks.add(binarySink);
        }
        return sinks;
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (transfers != null) {
                transfers.ended();
            }
            if (admission != null) {
                model.onClose().ifPresent(method -> invoke(method, closeReason, null));
            }
        } finally {
            if (admission != null) {
                admission.release();
            }
            sinks().forEach(sink -> sink.close("the session closed: " + closeReason));
            if (outbound != null) {
                runtime.forget(check);
                runtime.closed(authorSession);
                outbound.close();
            }
            for (ManagedInstance<? extends Decoder> decoder : decoders) {
                destroy(decoder);
            }
            decoders.clear();
            author.release();
            runtime.stats().sessionClosed();
        }
    }

    /** The container could not write a message: the connection is most likely gone, and Tyrus may never say so. */
    private void sendFailed() {
        if (sendFailureSeen.compareAndSet(false, true)) {
            releaseUnlessClosed("a send failed", runtime.closeGraceMillis());
        }
    }

    /** Releases the session after {@code graceMillis} unless the container has reported it closed by then. */
    private void releaseUnlessClosed(String why, long graceMillis) {
        runtime.afterDelay(() -> {
            if (!closed.get()) {
                LOG.fine(() -> "session " + session.getId() + " of " + model.path() + " was not reported closed within "
                        + graceMillis + " ms (" + why + "); releasing it");
                if (connection != null) {
                    // Its close may be stuck on a client that does not read: neither may outlive the session.
                    connection.abort();
                }
                onClose(session, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, why));
            }
        }, graceMillis);
    }

    /**
     * On an expiry thread, about once a second: ends the session if a send has been pending past the send timeout,
     * and releases it if the container says it is closed but has not called {@link #onClose} for two checks in a
     * row (Tyrus may lose a session whose connection was reset while it was writing).
     */
    private void check(long nowNanos) {
        outbound.checkTimeout(nowNanos);
        if (idleTimeout.expired(nowNanos) && idleClosed.compareAndSet(false, true)) {
            closeIdle();
        }
        if (session.isOpen()) {
            closedWithoutNotice = 0;
        } else if (++closedWithoutNotice >= 2 && !closed.get()) {
            onClose(session, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY,
                    "closed without notice from the container"));
        }
    }

    /** Ends a session idle for longer than its timeout, as a container does: 1001, not a rejection. */
    private void closeIdle() {
        CloseReason reason = CloseReasons.of(CloseReason.CloseCodes.GOING_AWAY,
                "idle for more than " + idleTimeout.get() + " ms");
        releaseUnlessClosed("not reported closed after its idle timeout", runtime.closeGraceMillis());
        runtime.closeElsewhere(() -> {
            try {
                session.close(reason);
            } catch (IOException alreadyGone) {
                LOG.log(Level.FINE, "session " + session.getId() + " was already closed", alreadyGone);
            }
        });
    }

    @Override
    public void onError(Session session, Throwable error) {
        handleError(error);
    }

    /** Sends a method's result back without blocking, bounded by the session's send queue. */
    private void reply(Object result) {
        outbound.send(result).whenComplete((sent, failure) -> {
            if (failure instanceof EncodeException encoding) {
                handleError(encoding);
            } else if (failure != null && !(failure instanceof SizeguardCloseException) && !closed.get()) {
                LOG.log(Level.FINE, "a reply on session " + session.getId() + " of " + model.path() + " failed",
                        failure);
            }
        });
    }

    /** Calls a lifecycle method of the author's; what it throws is the session's error (but not an error's). */
    private void invoke(LifecycleMethod method, CloseReason closeReason, Throwable error) {
        try {
            method.call(author.get(), authorSession, config, closeReason, error);
        } catch (Throwable failure) {
            if (error == null) {
                handleError(failure);
            } else {
                LOG.log(Level.WARNING, "the @OnError method of " + model.endpointClass().getName() + " failed",
                        failure);
            }
        }
    }

    private void handleError(Throwable error) {
        handleError(error, MessageKind.TEXT);
    }

    /** @param kind the kind of message being handled, reported for a close exception that does not name one */
    private void handleError(Throwable error, MessageKind kind) {
        if (error instanceof SizeguardCloseException rejection) {
            reject(rejection instanceof MessageTooBigException tooBig ? tooBig.kind() : kind, 0, rejection);
            return;
        }
        if ((rejected.get() || closed.get()) && error instanceof IOException) {
            // A stream reader saw the message it was reading rejected, or its client leave; the session is ending.
            return;
        }
        if (model.onError().isPresent()) {
            invoke(model.onError().get(), null, error);
        } else {
            LOG.log(Level.WARNING, "error on session " + (session == null ? "?" : session.getId()) + " of "
                    + model.path() + " and no @OnError method in " + model.endpointClass().getName(), error);
        }
    }

    /**
     * Ends the session through the one rejection path, once; what the session holds is released and later parts
     * are ignored. Called on the container's thread, the deadline timer's or a stream reader's.
     *
     * @param observedBytes bytes of the message received, where the exception does not say (a too-big one does)
     */
    private void reject(MessageKind kind, long observedBytes, SizeguardCloseException rejection) {
        reject(kind, observedBytes, rejection, GuardRuntime.onOwnThread());
    }

    /**
     * @param closeElsewhere make the close (the log line, the event and {@code session.close}) on a thread of its own:
     *                       for rejections on Sizeguard's own threads, and for clients that do not read, whose close
     *                       frame the container may block on
     */
    private void reject(MessageKind kind, long observedBytes, SizeguardCloseException rejection,
            boolean closeElsewhere) {
        if (closed.get() || !rejected.compareAndSet(false, true)) {
            // Once the session has closed (the client left) nothing it sent can be refused any more.
            return;
        }
        runtime.stats().rejected(counters, rejection.closeCode().getCode());
        // A container may lose a session whose close frame it cannot write (a client that stopped reading, then
        // reset the connection): Tyrus then never calls onClose, and its close may block. What the session holds
        // must not wait for either, so the grace is set before the close is attempted.
        releaseUnlessClosed("not reported closed after " + rejection.closeCode().getCode(), runtime.closeGraceMillis());
        sinks().forEach(sink -> sink.close(rejection.getMessage()));
        Runnable close = () -> runtime.rejections().reject(session, model.path(), kind, observedBytes, rejection);
        if (closeElsewhere) {
            runtime.closeElsewhere(close);
        } else {
            close.run();
        }
    }

    /** One instance of each declared decoder class of this endpoint, created within its policy and initialised. */
    private Map<Class<?>, Decoder> createDecoders() {
        Map<Class<?>, Decoder> instances = new LinkedHashMap<>();
        for (MessageKind kind : MessageKind.values()) {
            messageMethod(kind).ifPresent(method -> method.decoders().stream()
                    .filter(type -> type.shared() == null && !instances.containsKey(type.decoderClass()))
                    .forEach(type -> {
                        ManagedInstance<? extends Decoder> decoder =
                                PolicyContext.with(policy, () -> ManagedInstance.create(type.decoderClass()));
                        decoders.add(decoder);
                        decoder.get().init(config);
                        instances.put(type.decoderClass(), decoder.get());
                    }));
        }
        return instances;
    }

    /** {@code method}'s decoders in declared order: this session's instances, or Sizeguard's shared ones. */
    private static List<Decoder> decodersOf(MessageMethod method, Map<Class<?>, Decoder> instances) {
        List<Decoder> chain = new ArrayList<>(method.decoders().size());
        for (DecoderType type : method.decoders()) {
            chain.add(type.shared() != null ? type.shared() : instances.get(type.decoderClass()));
        }
        return chain;
    }

    private static void destroy(ManagedInstance<? extends Decoder> decoder) {
        try {
            decoder.get().destroy();
        } finally {
            decoder.release();
        }
    }

    /** What the connection under the session reports, on the reading thread. */
    private final class Connection implements ConnectionListener {
        @Override
        public void messageStarted(MessageKind kind) {
            MessageSink<?> sink = kind == MessageKind.TEXT ? textSink : binarySink;
            if (sink != null) {
                sink.messageStarted();
            }
        }

        /** Longer than the lingering close (2 s): the container has had its chance to report the close. */
        @Override
        public void connectionEnded() {
            releaseUnlessClosed("the connection ended", CONNECTION_END_GRACE_MILLIS);
        }

        @Override
        public void refused(SizeguardCloseException refusal) {
            MessageKind kind = refusal instanceof MessageTooBigException tooBig ? tooBig.kind() : MessageKind.TEXT;
            reject(kind, 0, refusal);
        }
    }
}
