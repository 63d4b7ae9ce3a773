package org.sizeguard.internal.adapter.undertow;

import java.util.Optional;

import jakarta.servlet.ServletContext;

import org.sizeguard.internal.adapter.ContainerAdapter;
import org.sizeguard.internal.adapter.GuardedConnection;

/**
 * WildFly's WebSocket implementation, Undertow. It reads frames itself, through its own channels rather than the
 * Servlet upgrade API, so Sizeguard sees message parts, not frames or connections: this adapter installs nothing
 * today. It is where Undertow's pluggable extensions (permessage-deflate) will be set up.
 */
public final class UndertowAdapter implements ContainerAdapter {

    private static final String UNDERTOW_SERVLET_CONTEXT = "io.undertow.servlet.spec.ServletContextImpl";

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

    @Override
    public void install(ServletContext context) {
    }

    @Override
    public Optional<GuardedConnection> opening() {
        return Optional.empty();
    }
}
