package org.sizeguard.internal.adapter.tyrus;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import org.sizeguard.internal.DeployedApplication;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.deflate.DeflaterPool;

/**
 * The upgrade handler the servlet container runs for a WebSocket connection that a servlet-based WebSocket
 * implementation (Tyrus, in Payara) upgrades: it hands that implementation's own handler a
 * {@link WebConnection} whose input goes through a {@link FrameRelay}.
 * <p>
 * While the implementation's {@code init} runs, which is when Tyrus opens the WebSocket session and calls the
 * endpoint's {@code onOpen}, the relay is available from {@link #opening()}, so the endpoint can attach its policy.
 */
public class RelayingUpgradeHandler implements HttpUpgradeHandler {

    private static final ThreadLocal<RelayedConnection> OPENING = new ThreadLocal<>();

    private HttpUpgradeHandler implementation;
    private ScheduledExecutorService lingerTimer;
    private Supplier<DeflaterPool> deflaters;

    /** Containers create upgrade handlers with a public no-argument constructor. */
    public RelayingUpgradeHandler() {
    }

    /**
     * @param deflaters asked when the connection starts, after the handshake's response: the pool that compresses the
     *                  replies of a connection that negotiated permessage-deflate, {@code null} if it did not
     */
    void relayTo(HttpUpgradeHandler implementation, ScheduledExecutorService lingerTimer,
            Supplier<DeflaterPool> deflaters) {
        this.implementation = implementation;
        this.lingerTimer = lingerTimer;
        this.deflaters = deflaters;
    }

    /** The relayed connection whose WebSocket session is being opened on this thread, if any. */
    public static Optional<GuardedConnection> opening() {
        return Optional.ofNullable(OPENING.get());
    }

    @Override
    public void init(WebConnection connection) {
        DeflaterPool negotiated = deflaters.get();
        FrameRelay relay = new FrameRelay(negotiated != null, DeployedApplication.budget());
        RelayedConnection relayed = new RelayedConnection(connection, relay, lingerTimer, negotiated);
        OPENING.set(relayed);
        try {
            implementation.init(relayed);
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
