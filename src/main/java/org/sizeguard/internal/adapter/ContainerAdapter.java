package org.sizeguard.internal.adapter;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.servlet.ServletContext;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;


import org.sizeguard.internal.adapter.tyrus.TyrusAdapter;
import org.sizeguard.internal.adapter.undertow.UndertowAdapter;

/**
 * What Sizeguard needs of the server it runs on beyond the Jakarta APIs, one implementation per WebSocket
 * implementation, chosen once when the application starts ({@link #detect}). Nothing outside an adapter's package
 * names its container's classes.
 */
public interface ContainerAdapter {

    /** The adapter for containers Sizeguard has no adapter for: the portable APIs only, no view of connections. */
    ContainerAdapter PORTABLE = new ContainerAdapter() {
        @Override
        public String name() {
            return "portable";
        }

        @Override
        public void install(ServletContext context) {
        }

        @Override
        public Optional<GuardedConnection> opening() {
            return Optional.empty();
        }
    };

    /** A short name for the log, e.g. {@code Tyrus}. */
    String name();

    /**
     * Installs what the adapter needs into the application starting up (filters), from
     * {@code ServletContainerInitializer.onStartup}.
     */
    void install(ServletContext context);

    /**
     * The connection under the WebSocket session being opened on this thread, from the endpoint's {@code onOpen},
     * if this adapter sees connections.
     */
    Optional<GuardedConnection> opening();

    /**
     * Sizeguard keeps {@code session}'s idle timeout from now on and has set the container's to 0: the container may
     * stop its own idle timer where keeping it costs (Tyrus reschedules it on every frame read and every send). On the
     * container's thread, from {@code onOpen}. By default nothing.
     */
    default void idleTimeoutKept(Session session) {
    }

    /**
     * What a guarded endpoint whose policy allows permessage-deflate (RFC 7692) returns from its configurator's
     * {@code getNegotiatedExtensions}, given the client's {@code requested} extensions: something only where this
     * adapter inflates within the limits itself, in the form its container expects (the offers, for a container that
     * answers them itself, or the answer). No other extension is ever negotiated. By default nothing.
     */
    default List<Extension> permessageDeflate(List<Extension> requested) {
        return List.of();
    }

    /**
     * From now on, the extensions the adapter negotiated for {@code session}'s connection (permessage-deflate) check
     * each message against {@code limits} (bytes by kind) and report refusals to {@code listener}; a refusal seen
     * before is reported now. For adapters that see no connection ({@link #opening()} is empty). On the container's
     * thread, from {@code onOpen}. By default nothing.
     */
    default void attachExtensions(Session session, SessionLimits limits, ConnectionListener listener) {
    }

    /**
     * Whether the container has closed {@code session} without having reported it to the endpoint's {@code onClose}
     * (yet): asked about once a second of every guarded session whose close has not been reported; two answers of
     * yes in a row make Sizeguard end the session itself, so that what it holds is released. Tyrus may lose a session
     * whose connection was reset while it was writing, and never report it. By default: the session says it is not
     * open.
     */
    default boolean closedWithoutNotice(Session session) {
        return !session.isOpen();
    }

    /** The adapter of the WebSocket implementation that serves {@code context}, logged once. */
    static ContainerAdapter detect(ServletContext context) {
        ContainerAdapter adapter;
        if (TyrusAdapter.runsIn(context)) {
            adapter = new TyrusAdapter();
        } else if (UndertowAdapter.runsIn(context)) {
            adapter = new UndertowAdapter();
        } else {
            adapter = PORTABLE;
        }
        Logger.getLogger(ContainerAdapter.class.getName()).info(() -> "SIZEGUARD-009: " + context.getServerInfo()
                + ": using the " + adapter.name() + " adapter");
        return adapter;
    }
}
