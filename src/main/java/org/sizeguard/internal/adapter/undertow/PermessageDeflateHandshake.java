package org.sizeguard.internal.adapter.undertow;

import java.util.List;

import io.undertow.websockets.WebSocketExtension;
import io.undertow.websockets.extensions.ExtensionFunction;
import io.undertow.websockets.extensions.ExtensionHandshake;

import org.sizeguard.internal.adapter.deflate.DeflaterPool;
import org.sizeguard.internal.adapter.deflate.PermessageDeflate;

/**
 * Sizeguard's permessage-deflate (RFC 7692) for Undertow, installed in place of Undertow's own, whose inflater has no
 * cap: it accepts and answers offers as {@link PermessageDeflate} says, and gives each connection that negotiated it a
 * {@link PermessageDeflateConnection}.
 * <p>
 * Which endpoints negotiate it at all is the endpoint's policy ({@code sizeguard.permessage-deflate}), decided by
 * Sizeguard's configurator before Undertow asks this handshake. Thread-safe; one per application.
 */
final class PermessageDeflateHandshake implements ExtensionHandshake {

    private final DeflaterPool deflaters;

    PermessageDeflateHandshake(DeflaterPool deflaters) {
        this.deflaters = deflaters;
    }

    @Override
    public String getName() {
        return PermessageDeflate.NAME;
    }

    /** The answer to {@code offer}, or {@code null} to decline it. */
    @Override
    public WebSocketExtension accept(WebSocketExtension offer) {
        if (!PermessageDeflate.NAME.equals(offer.getName()) || !PermessageDeflate.honours(offer.getParameters(),
                WebSocketExtension.Parameter::getName, WebSocketExtension.Parameter::getValue)) {
            return null;
        }
        return new WebSocketExtension(PermessageDeflate.NAME, List.of(
                new WebSocketExtension.Parameter(PermessageDeflate.SERVER_NO_CONTEXT_TAKEOVER, null),
                new WebSocketExtension.Parameter(PermessageDeflate.CLIENT_NO_CONTEXT_TAKEOVER, null)));
    }

    /** Only one permessage-deflate per connection: a second offer is not accepted once one is. */
    @Override
    public boolean isIncompatible(List<ExtensionHandshake> accepted) {
        for (ExtensionHandshake extension : accepted) {
            if (PermessageDeflate.NAME.equals(extension.getName())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ExtensionFunction create() {
        return new PermessageDeflateConnection(deflaters);
    }
}
