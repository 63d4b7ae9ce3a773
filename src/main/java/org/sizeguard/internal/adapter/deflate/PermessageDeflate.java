package org.sizeguard.internal.adapter.deflate;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.websocket.Extension;

/**
 * The permessage-deflate offers (RFC 7692) Sizeguard accepts and the answer it gives. It accepts the first offer
 * whose parameters it can honour and always answers {@value #ANSWER}: neither side keeps a compression context
 * between messages (RFC 7692 7.1.1.1 and 7.1.1.2 let a server add both to any offer), so an idle connection holds no
 * zlib state at all, and a message in progress holds one inflater (reserved against the budget) or one deflater from
 * a small shared pool.
 * <p>
 * Offers it declines, as the RFC asks, rather than misbehave: {@code server_max_window_bits} below 15
 * ({@code java.util.zip} always deflates with a 32 KiB window), a parameter it does not know, a parameter given twice
 * or with a value it may not have. {@code client_max_window_bits} (with or without a value) is accepted: an inflater
 * with a 32 KiB window reads data deflated with any smaller one. Stateless.
 */
public final class PermessageDeflate {

    /** The extension's registered name. */
    public static final String NAME = "permessage-deflate";

    public static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    public static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /** The answer to every offer Sizeguard accepts, as it goes into {@code Sec-WebSocket-Extensions}. */
    public static final String ANSWER = NAME + "; " + SERVER_NO_CONTEXT_TAKEOVER + "; " + CLIENT_NO_CONTEXT_TAKEOVER;

    private PermessageDeflate() {
    }

    /**
     * Whether Sizeguard can honour an offer with {@code parameters}, whose names and values (either may be
     * {@code null} or empty for a parameter without a value) {@code name} and {@code value} read.
     */
    public static <P> boolean honours(List<P> parameters, Function<P, String> name, Function<P, String> value) {
        Set<String> seen = new HashSet<>();
        for (P parameter : parameters) {
            String key = name.apply(parameter);
            String given = value.apply(parameter);
            if (!seen.add(key)) {
                return false;
            }
            boolean valid = switch (key) {
                case SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER -> given == null || given.isEmpty();
                case SERVER_MAX_WINDOW_BITS -> "15".equals(unquoted(given));
                case CLIENT_MAX_WINDOW_BITS -> given == null || given.isEmpty() || windowBits(unquoted(given));
                default -> false;
            };
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    /** The answer to the first of {@code offers} (any extensions, in the client's order) Sizeguard honours. */
    public static Optional<Extension> answer(List<Extension> offers) {
        return offers.stream()
                .filter(offer -> NAME.equals(offer.getName())
                        && honours(offer.getParameters(), Extension.Parameter::getName, Extension.Parameter::getValue))
                .findFirst()
                .map(accepted -> new Answer());
    }

    /**
     * Whether a {@code Sec-WebSocket-Extensions} header value the server sent (comma-separated extensions, each
     * with {@code ;}-separated parameters) names permessage-deflate.
     */
    public static boolean negotiatedIn(String responseHeader) {
        if (responseHeader == null) {
            return false;
        }
        for (String extension : responseHeader.split(",")) {
            if (NAME.equalsIgnoreCase(extension.split(";", 2)[0].trim())) {
                return true;
            }
        }
        return false;
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

    /** {@value #ANSWER} as the WebSocket API's extension, for implementations that send what a configurator returns. */
    private record Answer() implements Extension {
        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public List<Parameter> getParameters() {
            return List.of(new Flag(SERVER_NO_CONTEXT_TAKEOVER), new Flag(CLIENT_NO_CONTEXT_TAKEOVER));
        }

        @Override
        public String toString() {
            return ANSWER;
        }
    }

    /** A parameter without a value. */
    private record Flag(String getName) implements Extension.Parameter {
        @Override
        public String getValue() {
            return null;
        }
    }
}
