package org.sizeguard.internal.adapter.tyrus;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpUpgradeHandler;

import org.sizeguard.internal.adapter.deflate.DeflaterPool;
import org.sizeguard.internal.adapter.deflate.PermessageDeflate;

/**
 * Puts a {@link FrameRelay} under WebSocket implementations that upgrade connections through the portable
 * Servlet API ({@link HttpServletRequest#upgrade(Class)}), as Tyrus does in Payara. Sizeguard registers it ahead
 * of the implementation's own filter. Undertow (WildFly) upgrades through its own channels and never calls
 * {@code upgrade}, so there the filter changes nothing and Sizeguard counts message parts instead.
 * <p>
 * Whether the handshake negotiated permessage-deflate is read from the {@code Sec-WebSocket-Extensions} header the
 * implementation adds to the response (Tyrus adds it after {@code upgrade} and before the connection starts), so the
 * relay knows it before the first frame.
 */
public class FrameRelayFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** Upgrade handlers of these packages are relayed; they need no container injection. */
    private static final String TYRUS_PACKAGE = "org.glassfish.tyrus.";

    private static final String EXTENSIONS_HEADER = "Sec-WebSocket-Extensions";

    /**
     * Delays the lingering closes of this application's relayed connections; its one thread starts with the first
     * close and stops when the filter is destroyed (the application is undeployed).
     */
    private final transient ScheduledExecutorService lingerTimer = lingerTimer();

    /** Compress the replies of this application's connections that negotiated permessage-deflate. */
    private final transient DeflaterPool deflaters = DeflaterPool.forThisMachine();

    private static ScheduledExecutorService lingerTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sizeguard-linger");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Override
    public void destroy() {
        lingerTimer.shutdownNow();
        super.destroy();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            HandshakeResponse handshake = new HandshakeResponse(response);
            chain.doFilter(new RelayingRequest(request, handshake, lingerTimer, deflaters), handshake);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The upgrade's response, which notes the extensions the implementation negotiated as it adds them. */
    private static final class HandshakeResponse extends HttpServletResponseWrapper {

        private volatile boolean permessageDeflate;

        HandshakeResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void addHeader(String name, String value) {
            note(name, value);
            super.addHeader(name, value);
        }

        @Override
        public void setHeader(String name, String value) {
            note(name, value);
            super.setHeader(name, value);
        }

        private void note(String name, String value) {
            if (EXTENSIONS_HEADER.equalsIgnoreCase(name) && PermessageDeflate.negotiatedIn(value)) {
                permessageDeflate = true;
            }
        }
    }

    private static final class RelayingRequest extends HttpServletRequestWrapper {

        private final HandshakeResponse handshake;
        private final ScheduledExecutorService lingerTimer;
        private final DeflaterPool deflaters;

        RelayingRequest(HttpServletRequest request, HandshakeResponse handshake, ScheduledExecutorService lingerTimer,
                DeflaterPool deflaters) {
            super(request);
            this.handshake = handshake;
            this.lingerTimer = lingerTimer;
            this.deflaters = deflaters;
        }

        @Override
        public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
            if (!handlerClass.getName().startsWith(TYRUS_PACKAGE)) {
                return super.upgrade(handlerClass);
            }
            T implementation;
            try {
                implementation = handlerClass.getDeclaredConstructor().newInstance();
            } catch (InvocationTargetException e) {
                throw new ServletException("cannot create " + handlerClass.getName(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new ServletException("cannot create " + handlerClass.getName(), e);
            }
            super.upgrade(RelayingUpgradeHandler.class).relayTo(implementation, lingerTimer, () -> handshake
                    .permessageDeflate ? deflaters : null);
            return implementation;
        }
    }
}
