package org.sizeguard.internal.adapter.tyrus;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;

import org.sizeguard.internal.adapter.ContainerAdapter;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.deflate.PermessageDeflate;

/**
 * Payara's (and GlassFish's) WebSocket implementation, Tyrus, which upgrades connections through the portable
 * Servlet API. The adapter puts a {@link FrameRelay} under every connection Tyrus upgrades, through the
 * {@link FrameRelayFilter}: the relay enforces RFC 6455 framing and refuses an over-limit message from its frame
 * header, before Tyrus buffers it (Tyrus answers 1011 beyond its own buffer, and accepts unmasked frames), and does
 * permessage-deflate for Tyrus, which has none of its own in Payara: the relay inflates within the limits, the relayed
 * connection compresses the replies.
 */
public final class TyrusAdapter implements ContainerAdapter {

    private static final String TYRUS_INITIALIZER = "org.glassfish.tyrus.servlet.TyrusServletContainerInitializer";

    /** Whether Tyrus serves WebSocket connections for {@code context}. */
    public static boolean runsIn(ServletContext context) {
        String server = context.getServerInfo() == null ? "" : context.getServerInfo();
        if (server.contains("Payara") || server.contains("GlassFish")) {
            return true;
        }
        try {
            Class.forName(TYRUS_INITIALIZER, false, context.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError notTyrus) {
            return false;
        }
    }

    @Override
    public String name() {
        return "Tyrus";
    }

    /** Registers the relay filter ahead of Tyrus's own (which Tyrus registers to match after declared filters). */
    @Override
    public void install(ServletContext context) {
        FilterRegistration.Dynamic relay = context.addFilter("sizeguard-frame-relay", new FrameRelayFilter());
        relay.setAsyncSupported(true);
        relay.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    /**
     * The answer to the first offer Sizeguard honours: Tyrus sends what the configurator returns as it is, and leaves
     * the frames to the relay, which inflates them, and to the relayed connection, which compresses the replies.
     */
    @Override
    public List<Extension> permessageDeflate(List<Extension> requested) {
        return PermessageDeflate.answer(requested).map(List::of).orElse(List.of());
    }

    @Override
    public void idleTimeoutKept(Session session) {
        IdleTimerBypass.install(session);
    }

    @Override
    public Optional<GuardedConnection> opening() {
        return RelayingUpgradeHandler.opening();
    }
}
