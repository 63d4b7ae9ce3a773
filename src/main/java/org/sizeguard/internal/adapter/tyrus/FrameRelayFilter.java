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
import jakarta.servlet.http.HttpUpgradeHandler;

/**
 * Puts a {@link FrameRelay} under WebSocket implementations that upgrade connections through the portable
 * Servlet API ({@link HttpServletRequest#upgrade(Class)}), as Tyrus does in Payara. Sizeguard registers it ahead
 * of the implementation's own filter. Undertow (WildFly) upgrades through its own channels and never calls
 * {@code upgrade}, so there the filter changes nothing and Sizeguard counts message parts instead.
 */
public class FrameRelayFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** Upgrade handlers of these packages are relayed; they need no container injection. */
    private static final String TYRUS_PACKAGE = "org.glassfish.tyrus.";

    /**
     * Delays the lingering closes of this application's relayed connections; its one thread starts with the first
     * close and stops when the filter is destroyed (the application is undeployed).
     */
    private final transient ScheduledExecutorService lingerTimer = lingerTimer();

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
            chain.doFilter(new RelayingRequest(request, lingerTimer), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static final class RelayingRequest extends HttpServletRequestWrapper {

        private final ScheduledExecutorService lingerTimer;

        RelayingRequest(HttpServletRequest request, ScheduledExecutorService lingerTimer) {
            super(request);
            this.lingerTimer = lingerTimer;
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
            super.upgrade(RelayingUpgradeHandler.class).relayTo(implementation, lingerTimer);
            return implementation;
        }
    }
}
