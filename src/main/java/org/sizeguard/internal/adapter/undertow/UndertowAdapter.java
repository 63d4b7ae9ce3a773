package org.sizeguard.internal.adapter.undertow;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.servlet.ServletContext;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;

import io.undertow.websockets.extensions.ExtensionHandshake;
import io.undertow.websockets.jsr.UndertowSession;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;

import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.ContainerAdapter;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.SessionLimits;
import org.sizeguard.internal.adapter.deflate.DeflaterPool;
import org.sizeguard.internal.adapter.deflate.PermessageDeflate;

/**
 * WildFly's WebSocket implementation, Undertow. It reads frames itself, through its own channels rather than the
 * Servlet upgrade API, so Sizeguard sees message parts, not frames or connections. Its extension API is pluggable
 * per deployment: this adapter replaces Undertow's permessage-deflate (whose inflater has no cap, and which WildFly
 * leaves off by default) with Sizeguard's {@link PermessageDeflateHandshake}, which inflates within each endpoint's
 * limits.
 */
public final class UndertowAdapter implements ContainerAdapter {

    private static final Logger LOG = Logger.getLogger(UndertowAdapter.class.getName());
    private static final String UNDERTOW_SERVLET_CONTEXT = "io.undertow.servlet.spec.ServletContextImpl";

    private volatile boolean inflates;

    /** Whether {@code context} is Undertow's (WildFly, JBoss EAP, or Undertow embedded). */
    public static boolean runsIn(ServletContext context) {
        String server = context.getServerInfo() == null ? "" : context.getServerInfo();
        return context.getClass().getName().equals(UNDERTOW_SERVLET_CONTEXT) || server.contains("Undertow")
                || server.contains("WildFly") || server.contains("JBoss EAP");
    }

    @Override
    public String name() {
        return "Undertow";
    }

    /**
     * Installs Sizeguard's permessage-deflate into the deployment's WebSocket configuration, removing any other
     * (WildFly's own, when {@code per-message-deflate} is switched on). Undertow reads that configuration when its
     * WebSocket filter starts, after the application's initializers. Without it (not Undertow's JSR container),
     * permessage-deflate is not negotiated.
     */
    @Override
    public void install(ServletContext context) {
        Object attribute = context.getAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME);
        if (!(attribute instanceof WebSocketDeploymentInfo info)) {
            LOG.info("SIZEGUARD-010: no Undertow WebSocket deployment info; permessage-deflate is not negotiated");
            return;
        }
        List<ExtensionHandshake> extensions = info.getExtensions();
        extensions.removeIf(extension -> PermessageDeflate.NAME.equals(extension.getName()));
        info.addExtension(new PermessageDeflateHandshake(DeflaterPool.forThisMachine()));
        inflates = true;
    }

    @Override
    public Optional<GuardedConnection> opening() {
        return Optional.empty();
    }

    /** Every permessage-deflate offer, in the client's order: Sizeguard's handshake takes the first it can honour. */
    @Override
    public List<Extension> permessageDeflate(List<Extension> requested) {
        if (!inflates) {
            return List.of();
        }
        return requested.stream().filter(offer -> PermessageDeflate.NAME.equals(offer.getName())).toList();
    }

    @Override
    public void attachExtensions(Session session, SessionLimits limits, ConnectionListener listener) {
        if (session instanceof UndertowSession undertow
                && undertow.getWebSocketChannel().getExtensionFunction() instanceof PermessageDeflateConnection deflate) {
            deflate.attach(limits, listener);
        }
    }
}
