package org.sizeguard.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Decoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.internal.EndpointModel.DecoderType;
import org.sizeguard.internal.EndpointModel.MessageMethod;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.SessionLimits;
import org.sizeguard.internal.transfer.TransferSession;
import org.sizeguard.transfer.OnTransfer;
import org.sizeguard.transfer.ReceivedTransfer;

/**
 * The endpoint the container really runs for an annotated {@code ServerEndpoint} class: one instance per session.
 * It wires the session when it opens ({@link Wiring}) and hands the container's close and errors on; it takes no
 * message itself.
 * <p>
 * The inbound path it wires runs one way. The connection under the session, where the adapter sees it, checks each
 * frame against the session's limits; the container hands each message part to the {@link MessageSink} chosen for
 * its kind when the session opened, which counts it against the limit before keeping or passing it on, and delivers
 * an accepted message to the author's method ({@link BoundMethod}) whole, in parts or as a stream. Whatever refuses a
 * message (the connection, a sink, a deadline, the send queue, the transfer protocol) hands the refusal to the
 * session's {@link SessionClose} and returns; the close ends the session once, however it ends. A session whose
 * client negotiated {@link OnTransfer#SUBPROTOCOL} on an endpoint with an {@code @OnTransfer} method gets the transfer
 * protocol's message methods instead of the author's.
 */
public final class GuardedEndpoint extends Endpoint {

    private final EndpointModel model;
    private final MessageSizePolicy policy;
    private final ManagedInstance<?> authorInstance;
    private final GuardRuntime runtime;
    private final EndpointCounters counters;
    /** The session's wiring; set in onOpen, before the container calls anything else. */
    private Wiring wiring;

    GuardedEndpoint(EndpointModel model, MessageSizePolicy policy, ManagedInstance<?> author, GuardRuntime runtime) {
        this.model = model;
        this.policy = policy;
        this.authorInstance = author;
        this.runtime = runtime;
        this.counters = runtime.stats().endpoint(model.path());
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        wiring = new Wiring(session, config);
        wiring.open();
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (wiring != null) {
            wiring.close.end(closeReason);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        if (wiring != null && wiring.author != null) {
            wiring.author.failed(error);
        }
    }

    /**
     * What one session is wired to, made while it opens: its close, the author's side, the sinks, the send queue, the
     * decoders; and its release, which the close runs once when the session ends.
     */
    private final class Wiring {
        private final Session session;
        private final EndpointConfig config;
        private final SessionClose close;
        /** The transfer protocol, on a connection that negotiated it; {@code null} on every other. */
        private final TransferSession transfers;
        private final Map<MessageKind, MessageSink<?>> sinks = new EnumMap<>(MessageKind.class);
        private final List<ManagedInstance<? extends Decoder>> decoders = new ArrayList<>();
        private Outbound outbound;
        private SessionWatch watch;
        private AuthorEndpoint author;
        /** The session's place under the session caps; {@code null} if it was refused one. */
        private SessionAdmission.Admission admission;

        Wiring(Session session, EndpointConfig config) {
            this.session = session;
            this.config = config;
            this.close = new SessionClose(session, model.path(), runtime, counters);
            this.transfers = model.transferMethod().isPresent()
                    && OnTransfer.SUBPROTOCOL.equals(session.getNegotiatedSubprotocol())
                    ? new TransferSession(runtime.transfers(), policy, this::receive, deadlinePassed -> {
                        counters.deadlineExpired();
                        close.rejectElsewhere(MessageKind.BINARY, 0, deadlinePassed);
                    })
                    : null;
        }

        void open() {
            // The release is in place before anything can end the session: a refusal the connection saw before the
            // session attached is reported while it attaches, and the container may close the session at once.
            close.releasesWith(this::release);
            runtime.stats().sessionOpened();
            outbound = new Outbound(session.getAsyncRemote(), runtime.limits().maxOutboundBytes(),
                    runtime.limits().sendTimeout(), runtime.budget(), runtime.stats(),
                    refusal -> close.rejectElsewhere(MessageKind.TEXT, 0, refusal), close::sendFailed);
            GuardedConnection connection = runtime.adapter().opening().orElse(null);
            IdleTimeout idleTimeout = idleTimeout(connection);
            watch = new SessionWatch(session, outbound, idleTimeout, close, runtime);
            GuardedSession guarded = new GuardedSession(session, outbound, runtime.limits().sendTimeout().toMillis(),
                    runtime::guarded, idleTimeout);
            author = new AuthorEndpoint(model, authorInstance, guarded, config, close, outbound);
            runtime.watch(watch);
            runtime.opened(guarded);
            attach(connection);
            Object address = session.getUserProperties().remove(GuardedConfigurator.CLIENT_ADDRESS);
            try {
                admission = runtime.admission().admit(address instanceof String known ? known : null);
            } catch (BudgetExhaustedException full) {
                // Refused before the author's endpoint sees the session: no handlers, no onOpen, and so no onClose.
                close.reject(MessageKind.TEXT, 0, full);
                return;
            }
            if (transfers != null) {
                addTransferSinks();
            } else {
                addAuthorSinks();
            }
            model.pongMethod().ifPresent(method -> {
                BoundMethod pongs = author.bind(method);
                session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong ->
                        pongs.deliver(pong, true));
            });
            author.opened();
        }

        /**
         * The session's idle timeout: Sizeguard's own where it sees the input of the connection under the session
         * (Payara's relay), else the container's.
         */
        private IdleTimeout idleTimeout(GuardedConnection connection) {
            if (connection == null) {
                return IdleTimeout.containers(session);
            }
            IdleTimeout kept = IdleTimeout.kept(session,
                    () -> Math.max(connection.lastInputNanos(), outbound.lastActivityNanos()));
            runtime.adapter().idleTimeoutKept(session);
            return kept;
        }

        /**
         * Gives the session's limits to the connection under it where the adapter sees it (Payara's relay), else to
         * the extension the adapter negotiated (WildFly's permessage-deflate); what they refuse goes to the close. A
         * refusal seen before is reported now, so this comes once everything the close releases is in place.
         */
        private void attach(GuardedConnection connection) {
            SessionLimits limits = new SessionLimits(limit(MessageKind.TEXT), limit(MessageKind.BINARY));
            if (connection == null) {
                runtime.adapter().attachExtensions(session, limits, close);
            } else {
                close.over(connection);
                connection.attach(limits, close);
            }
        }

        /**
         * The limit of messages of {@code kind} on this session: the sink's, and the connection's. The transfer
         * protocol takes its chunks in parts but each is a message within the message limit, not a stream.
         */
        private long limit(MessageKind kind) {
            if (transfers != null) {
                return policy.limit(kind);
            }
            return model.messageMethod(kind).map(method -> policy.limit(kind, method.incremental()))
                    .orElse(policy.limit(kind));
        }

        private MessageSink.Limits sinkLimits(MessageKind kind) {
            return new MessageSink.Limits(limit(kind), policy.completionTimeout());
        }

        /** The author's message methods, each behind the sink its delivery mode needs, with its decoders. */
        private void addAuthorSinks() {
            Map<Class<?>, Decoder> decoderInstances = createDecoders();
            for (MessageKind kind : MessageKind.values()) {
                Optional<MessageMethod> method = model.messageMethod(kind);
                if (method.isPresent()) {
                    List<Decoder> chain = decodersOf(method.get(), decoderInstances);
                    BoundMethod bound = author.bind(method.get());
                    addSink(kind, kind == MessageKind.TEXT
                            ? MessageSink.text(method.get(), chain, sinkLimits(kind), runtime, counters, close, bound)
                            : MessageSink.binary(method.get(), chain, sinkLimits(kind), runtime, counters, close,
                                    bound));
                } else {
                    // A kind the author takes no messages of is refused at its first part, not dropped unanswered.
                    addHandler(kind, (part, last) -> close.reject(kind, 0, new UnacceptableMessageException(kind)));
                }
            }
        }

        /** The transfer protocol: control messages whole, chunks part by part as they arrive. */
        private void addTransferSinks() {
            addSink(MessageKind.TEXT, MessageSink.wholeText(sinkLimits(MessageKind.TEXT), runtime, counters, close,
                    author.bind(MessageKind.TEXT, (text, last) -> transfers.control((String) text))));
            addSink(MessageKind.BINARY, MessageSink.binaryParts(sinkLimits(MessageKind.BINARY), runtime, counters,
                    close, author.bind(MessageKind.BINARY, (part, last) -> transfers.chunk((ByteBuffer) part, last))));
        }

        @SuppressWarnings("unchecked")
        private void addSink(MessageKind kind, MessageSink<?> sink) {
            sinks.put(kind, sink);
            close.holds(kind, sink);
            MessageSink<Object> parts = (MessageSink<Object>) sink;
            addHandler(kind, parts::accept);
        }

        @SuppressWarnings("unchecked")
        private <P> void addHandler(MessageKind kind, MessageHandler.Partial<P> handler) {
            Class<P> part = (Class<P>) (kind == MessageKind.TEXT ? String.class : ByteBuffer.class);
            session.addMessageHandler(part, handler);
        }

        /** A verified transfer, to the author's {@code @OnTransfer} method; what it throws, this throws. */
        private void receive(ReceivedTransfer transfer) throws Exception {
            try {
                model.transferMethod().orElseThrow().call(author.instance(), author.session(), transfer);
            } catch (Exception | Error thrown) {
                throw thrown;
            } catch (Throwable other) {
                throw new IllegalStateException(other);
            }
        }

        /**
         * Run by the close, once, when the session ends; on the thread that ends it. What the session has not been
         * given yet (it ended while opening) is not released.
         */
        private void release(CloseReason reason) {
            try {
                if (transfers != null) {
                    transfers.ended();
                }
                if (admission != null) {
                    author.closed(reason);
                }
            } finally {
                if (admission != null) {
                    admission.release();
                }
                sinks.values().forEach(sink -> sink.close("the session closed: " + reason));
                if (watch != null) {
                    runtime.forget(watch);
                }
                if (author != null) {
                    runtime.closed(author.session());
                }
                if (outbound != null) {
                    outbound.close();
                }
                for (ManagedInstance<? extends Decoder> decoder : decoders) {
                    try {
                        decoder.get().destroy();
                    } finally {
                        decoder.release();
                    }
                }
                decoders.clear();
                authorInstance.release();
                runtime.stats().sessionClosed();
            }
        }

        /** One instance of each declared decoder class of this endpoint, created within its policy and initialised. */
        private Map<Class<?>, Decoder> createDecoders() {
            Map<Class<?>, Decoder> instances = new LinkedHashMap<>();
            for (MessageKind kind : MessageKind.values()) {
                model.messageMethod(kind).ifPresent(method -> method.decoders().stream()
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
    }

    /** {@code method}'s decoders in declared order: this session's instances, or Sizeguard's shared ones. */
    private static List<Decoder> decodersOf(MessageMethod method, Map<Class<?>, Decoder> instances) {
        List<Decoder> chain = new ArrayList<>(method.decoders().size());
        for (DecoderType type : method.decoders()) {
            chain.add(type.shared() != null ? type.shared() : instances.get(type.decoderClass()));
        }
        return chain;
    }
}
