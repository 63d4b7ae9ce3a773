package org.sizeguard.internal;

import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.transfer.OnTransfer;

/**
 * Creates a {@link GuardedEndpoint} for each new session and passes the handshake decisions on to the
 * configurator the author declared in {@code ServerEndpoint(configurator = ...)}, or to the container's
 * default one. The author's endpoint instance comes from the author's configurator if one is declared, else
 * from CDI, so injection works the same on Payara and WildFly.
 */
final class GuardedConfigurator extends ServerEndpointConfig.Configurator {

    /** The session user property that carries the client's address from the handshake to {@code onOpen}. */
    static final String CLIENT_ADDRESS = "org.sizeguard.client-address";

    private final EndpointModel model;
    private final MessageSizePolicy policy;
    private final GuardRuntime runtime;
    private final ServerEndpointConfig.Configurator authors;
    private final boolean authorCreatesInstances;

    GuardedConfigurator(EndpointModel model, MessageSizePolicy policy, GuardRuntime runtime) {
        this.model = model;
        this.policy = policy;
        this.runtime = runtime;
        Class<? extends ServerEndpointConfig.Configurator> declared = model.annotation().configurator();
        this.authorCreatesInstances = declared != ServerEndpointConfig.Configurator.class;
        this.authors = authorCreatesInstances
                ? PolicyContext.with(policy, () -> ManagedInstance.create(declared).get())
                : new ServerEndpointConfig.Configurator();
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != GuardedEndpoint.class) {
            throw new InstantiationException("Sizeguard creates only " + GuardedEndpoint.class.getName());
        }
        ManagedInstance<?> author = authorCreatesInstances ? authorsInstance() : PolicyContext.with(policy,
                () -> ManagedInstance.create(model.endpointClass()));
        return endpointClass.cast(new GuardedEndpoint(model, policy, author, runtime));
    }

    private ManagedInstance<?> authorsInstance() throws InstantiationException {
        Object instance = authors.getEndpointInstance(model.endpointClass());
        return ManagedInstance.of(instance);
    }

    /**
     * The transfer protocol when the endpoint takes transfers and the client asks for it; otherwise what the author's
     * configurator chooses (among the endpoint's own subprotocols).
     */
    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        if (model.transferMethod().isPresent() && requested.contains(OnTransfer.SUBPROTOCOL)) {
            return OnTransfer.SUBPROTOCOL;
        }
        List<String> authorsOwn = supported.stream().filter(protocol -> !OnTransfer.SUBPROTOCOL.equals(protocol))
                .toList();
        return authors.getNegotiatedSubprotocol(authorsOwn, requested);
    }

    /**
     * permessage-deflate where the endpoint's policy allows it and the adapter inflates within the limits itself
     * (both adapters do); nothing else, ever: Sizeguard counts and checks frames as RFC 6455 defines them, refuses reserved
     * bits that were not negotiated with 1002, and never lets a container's own inflater grow a message past every
     * limit before Sizeguard sees it.
     */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return policy.permessageDeflate() ? runtime.adapter().permessageDeflate(requested) : List.of();
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return authors.checkOrigin(originHeaderValue);
    }

    /**
     * Records the client's address for the session's admission (WebSocket 2.1 makes the user properties seen here a
     * per-connection copy that becomes the session's), then asks the author's configurator.
     */
    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        ClientAddressFilter.handshaking()
                .ifPresent(address -> config.getUserProperties().put(CLIENT_ADDRESS, address));
        authors.modifyHandshake(config, request, response);
    }
}
