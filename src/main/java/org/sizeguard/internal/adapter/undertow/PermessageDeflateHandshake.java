package org.sizeguard.internal.adapter.undertow;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.undertow.websockets.WebSocketExtension;
import io.undertow.websockets.extensions.ExtensionFunction;
import io.undertow.websockets.extensions.ExtensionHandshake;

/**
 * Sizeguard's permessage-deflate (RFC 7692) for Undertow, installed in place of Undertow's own, whose inflater has no
 * cap. It accepts the first offer whose parameters it can honour and always answers
 * {@code permessage-deflate; server_no_context_takeover; client_no_context_takeover}: neither side keeps a
 * compression context between messages (RFC 7692 7.1.1.1 and 7.1.1.2 let a server add both to any offer), so an idle
 * connection holds no zlib state at all, and a message in progress holds one inflater (reserved against the budget)
 * or one deflater from a small shared pool.
 * <p>
 * Offers it declines, as the RFC asks, rather than misbehave: {@code server_max_window_bits} below 15
 * ({@code java.util.zip} always deflates with a 32 KiB window), a parameter it does not know, a parameter given twice
 * or with a value it may not have. {@code client_max_window_bits} (with or without a value) is accepted: an inflater
 * with a 32 KiB window reads data deflated with any smaller one.
 * <p>
 * Which endpoints negotiate it at all is the endpoint's policy ({@code sizeguard.permessage-deflate}), decided by
 * Sizeguard's configurator before Undertow asks this handshake. Thread-safe; one per application.
 */
final class PermessageDeflateHandshake implements ExtensionHandshake {

    static final String NAME = "permessage-deflate";

    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private final DeflaterPool deflaters;

    PermessageDeflateHandshake(DeflaterPool deflaters) {
        this.deflaters = deflaters;
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** The answer to {@code offer}, or {@code null} to decline it. */
    @Override
    public WebSocketExtension accept(WebSocketExtension offer) {
        if (!NAME.equals(offer.getName()) || !honours(offer.getParameters())) {
            return null;
        }
        return new WebSocketExtension(NAME, List.of(new WebSocketExtension.Parameter(SERVER_NO_CONTEXT_TAKEOVER, null),
                new WebSocketExtension.Parameter(CLIENT_NO_CONTEXT_TAKEOVER, null)));
    }

    static boolean honours(List<WebSocketExtension.Parameter> parameters) {
        Set<String> seen = new HashSet<>();
        for (WebSocketExtension.Parameter parameter : parameters) {
            String name = parameter.getName();
            String value = parameter.getValue();
            if (!seen.add(name)) {
                return false;
            }
            boolean valid = switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> value == null || value.isEmpty();
                case SERVER_MAX_WINDOW_BITS -> "15".equals(unquoted(value));
                case CLIENT_MAX_WINDOW_BITS -> value == null || value.isEmpty() || windowBits(unquoted(value));
                default -> false;
            };
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    private static String unquoted(String value) {
        if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static boolean windowBits(String value) {
        return value != null && value.matches("[89]|1[0-5]");
    }

    /** Only one permessage-deflate per connection: a second offer is not accepted once one is. */
    @Override
    public boolean isIncompatible(List<ExtensionHandshake> accepted) {
        for (ExtensionHandshake extension : accepted) {
            if (NAME.equals(extension.getName())) {
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
