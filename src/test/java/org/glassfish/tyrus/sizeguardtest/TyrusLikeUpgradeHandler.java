package org.glassfish.tyrus.sizeguardtest;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.tyrus.RelayingUpgradeHandler;

/**
 * Test double of Tyrus's upgrade handler, in a package under {@code org.glassfish.tyrus.} so that Sizeguard's relay
 * filter treats it as Tyrus's: it records the connection it is given and the relay that was opening meanwhile.
 */
public class TyrusLikeUpgradeHandler implements HttpUpgradeHandler {

    public WebConnection connection;
    public boolean relayOpeningDuringInit;
    /** The connection offered while the session opened, or null. */
    public GuardedConnection offered;
    public boolean destroyed;

    @Override
    public void init(WebConnection given) {
        connection = given;
        relayOpeningDuringInit = RelayingUpgradeHandler.opening().isPresent();
        offered = RelayingUpgradeHandler.opening().orElse(null);
    }

    @Override
    public void destroy() {
        destroyed = true;
    }
}
