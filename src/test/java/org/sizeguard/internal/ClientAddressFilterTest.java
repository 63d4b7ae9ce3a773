package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

class ClientAddressFilterTest {

    private final List<Optional<String>> seenInChain = new ArrayList<>();
    private final FilterChain chain = (request, response) -> seenInChain.add(ClientAddressFilter.handshaking());

    private static HttpServletRequest request(Map<String, String> headers, String remoteAddress) {
        return (HttpServletRequest) Proxy.newProxyInstance(ClientAddressFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getRemoteAddr" -> remoteAddress;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final HttpServletResponse RESPONSE = (HttpServletResponse) Proxy.newProxyInstance(
            ClientAddressFilterTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
            (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void makesTheClientsAddressKnownDownTheChainOfAWebSocketHandshakeOnlyAndForgetsItAfterwards() throws Exception {
        ClientAddressFilter filter = new ClientAddressFilter();

        filter.doFilter(request(Map.of("Upgrade", "WebSocket"), "192.0.2.7"), RESPONSE, chain);
        filter.doFilter(request(Map.of(), "192.0.2.8"), RESPONSE, chain);

        assertThat(seenInChain).containsExactly(Optional.of("192.0.2.7"), Optional.empty());
        assertThat(ClientAddressFilter.handshaking()).isEmpty();
    }

    @Test
    void forgetsTheAddressWhenTheChainThrows() {
        ClientAddressFilter filter = new ClientAddressFilter();
        FilterChain failing = (request, response) -> {
            throw new IllegalStateException("the handshake failed");
        };

        assertThatThrownBy(() -> filter.doFilter(request(Map.of("Upgrade", "websocket"), "192.0.2.9"), RESPONSE,
                failing)).hasMessage("the handshake failed");

        assertThat(ClientAddressFilter.handshaking()).isEmpty();
    }
}
