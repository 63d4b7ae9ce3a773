package org.sizeguard.internal;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Makes the client's address of a WebSocket handshake known to {@link GuardedConfigurator#modifyHandshake}, which
 * runs further down the same filter chain, on the same thread, in Tyrus and in Undertow: the WebSocket API itself
 * offers no remote address. The address is the request's {@link HttpServletRequest#getRemoteAddr()}: behind a
 * reverse proxy, the container must be told to trust its forwarding headers (Payara's and WildFly's
 * {@code proxy-address-forwarding}) or every client shares the proxy's address.
 */
public class ClientAddressFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** One address per thread, set only while that thread runs the filter chain of a handshake; never waits. */
    private static final ThreadLocal<String> HANDSHAKING = new ThreadLocal<>();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        String outer = HANDSHAKING.get();
        HANDSHAKING.set(request.getRemoteAddr());
        try {
            chain.doFilter(request, response);
        } finally {
            if (outer == null) {
                HANDSHAKING.remove();
            } else {
                HANDSHAKING.set(outer);
            }
        }
    }

    /** The client's address of the handshake being made on this thread, if it passed this filter. */
    static Optional<String> handshaking() {
        return Optional.ofNullable(HANDSHAKING.get());
    }
}
