package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import org.glassfish.tyrus.sizeguardtest.TyrusLikeUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.sizeguard.internal.adapter.SessionLimits;

/** Which requests the relay filter wraps, and what a Tyrus upgrade through it sets up. */
class FrameRelayFilterTest {

    private final FrameRelayFilter filter = new FrameRelayFilter();
    private final List<ServletRequest> passedOn = new ArrayList<>();
    /** What the container's {@code upgrade} was asked for, and the handler it created. */
    private final List<Class<?>> upgradedTo = new ArrayList<>();
    private HttpUpgradeHandler containersHandler;

    @AfterEach
    void destroy() {
        filter.destroy();
    }

    /** A request as the container makes it: {@code Upgrade} from {@code headers}, {@code upgrade} creates handlers. */
    private HttpServletRequest request(Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get((String) args[0]);
                    case "upgrade" -> {
                        Class<?> handlerClass = (Class<?>) args[0];
                        upgradedTo.add(handlerClass);
                        containersHandler = (HttpUpgradeHandler) handlerClass.getDeclaredConstructor().newInstance();
                        yield containersHandler;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A response as the container makes it: headers are added, nothing else is asked. */
    private final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                if (method.getName().equals("addHeader") || method.getName().equals("setHeader")) {
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    private final List<ServletResponse> responsesPassedOn = new ArrayList<>();

    private ServletRequest filter(HttpServletRequest request) throws Exception {
        filter.doFilter(request, response, (req, res) -> {
            passedOn.add(req);
            responsesPassedOn.add(res);
        });
        return passedOn.get(0);
    }

    private static WebConnection connection() {
        return (WebConnection) Proxy.newProxyInstance(FrameRelayFilterTest.class.getClassLoader(),
                new Class<?>[] {WebConnection.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void passesARequestThatIsNotAWebSocketUpgradeOnAsItIs() throws Exception {
        HttpServletRequest plain = request(Map.of());

        assertThat(filter(plain)).isSameAs(plain);
    }

    @Test
    void putsTheRelayUnderATyrusUpgradeAndOffersItWhileTyrusOpensTheSession() throws Exception {
        HttpServletRequest wrapped = (HttpServletRequest) filter(request(Map.of("Upgrade", "WebSocket")));

        TyrusLikeUpgradeHandler tyrus = wrapped.upgrade(TyrusLikeUpgradeHandler.class);
        containersHandler.init(connection());

        assertThat(upgradedTo).containsExactly(RelayingUpgradeHandler.class);
        assertThat(tyrus.connection).isInstanceOf(RelayedConnection.class);
        assertThat(tyrus.relayOpeningDuringInit).as("the relay is offered to onOpen").isTrue();
        assertThat(RelayingUpgradeHandler.opening()).as("and only during init").isEmpty();
        containersHandler.destroy();
        assertThat(tyrus.destroyed).isTrue();
        assertThat(((RelayedConnection) tyrus.offered).relay().inflates()).as("no permessage-deflate without it in the response").isFalse();
    }

    @Test
    void tellsTheRelayThatTheHandshakeNegotiatedPermessageDeflate() throws Exception {
        HttpServletRequest wrapped = (HttpServletRequest) filter(request(Map.of("Upgrade", "websocket")));

        TyrusLikeUpgradeHandler tyrus = wrapped.upgrade(TyrusLikeUpgradeHandler.class);
        ((HttpServletResponse) responsesPassedOn.get(0)).addHeader("Sec-WebSocket-Extensions",
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        containersHandler.init(connection());
        tyrus.offered.attach(new SessionLimits(1000, 1000), Refusals.into(new ArrayList<>()));

        assertThat(((RelayedConnection) tyrus.offered).relay().inflates()).isTrue();
        containersHandler.destroy();
    }

    @Test
    void leavesAnUpgradeToAnotherImplementationToTheContainer() throws Exception {
        HttpServletRequest wrapped = (HttpServletRequest) filter(request(Map.of("Upgrade", "websocket")));

        OtherHandler other = wrapped.upgrade(OtherHandler.class);

        assertThat(upgradedTo).containsExactly(OtherHandler.class);
        assertThat(other).isSameAs(containersHandler);
    }

    /** An upgrade handler that is not Tyrus's. */
    public static class OtherHandler implements HttpUpgradeHandler {
        @Override
        public void init(WebConnection connection) {
            // Not used.
        }

        @Override
        public void destroy() {
            // Not used.
        }
    }
}
