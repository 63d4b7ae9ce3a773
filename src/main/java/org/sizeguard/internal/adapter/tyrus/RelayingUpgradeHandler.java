package org.sizeguard.internal.adapter.tyrus;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

/**
 * The upgrade handler the servlet container runs for a WebSocket connection that a servlet-based WebSocket
 * implementation (Tyrus, in Payara) upgrades: it hands that implementation's own handler a
 * {@link WebConnection} whose input goes through a {@link FrameRelay}.
 * <p>
 * While the implementation's {@code init} runs, which is when Tyrus opens the WebSocket session and calls the
 * endpoint's {@code onOpen}, the relay is available from {@link #opening()}, so the endpoint can attach its policy.
 */
public class RelayingUpgradeHandler implements HttpUpgradeHandler {

    private static final ThreadLocal<FrameRelay> OPENING = new ThreadLocal<>();

    private HttpUpgradeHandler implementation;
    private ScheduledExecutorService lingerTimer;

    /** Containers create upgrade handlers with a public no-argument constructor. */
    public RelayingUpgradeHandler() {
    }

    void relayTo(HttpUpgradeHandler implementation, ScheduledExecutorService lingerTimer) {
        this.implementation = implementation;
        this.lingerTimer = lingerTimer;
    }

    /** The relay of the connection whose WebSocket session is being opened on this thread, if any. */
    public static Optional<FrameRelay> opening() {
        return Optional.ofNullable(OPENING.get());
    }

    @Override
    public void init(WebConnection connection) {
        FrameRelay relay = new FrameRelay();
        OPENING.set(relay);
        try {
            implementation.init(new RelayedConnection(connection, relay, lingerTimer));
            // onOpen has run: a guarded endpoint attached its limits, or the connection is not Sizeguard's.
            relay.unguarded();
        } finally {
            OPENING.remove();
        }
    }

    @Override
    public void destroy() {
        implementation.destroy();
    }
}
