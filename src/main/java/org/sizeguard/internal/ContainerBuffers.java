package org.sizeguard.internal;

import java.util.Collection;
import java.util.logging.Logger;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;

import org.sizeguard.MessageSizePolicy;

/**
 * Checks that the container's own buffers let every message reach Sizeguard, so that the container never
 * fails a message before Sizeguard can reject it with 1009.
 * <p>
 * Tyrus (Payara) parses a frame only once its whole payload is buffered, and answers a frame larger than its
 * incoming buffer (default 4 MiB) with 1011 "Buffer overflow.". It reads the buffer size from the context
 * parameter {@value #TYRUS_INCOMING_BUFFER} in its own initializer, which runs before Sizeguard's, so the
 * application has to set it in {@code web.xml}; Sizeguard's WAR sets 64 MiB + 14. Sizeguard logs
 * {@code SIZEGUARD-007} at start-up if it is smaller than the largest limit plus a frame header.
 * <p>
 * Undertow (WildFly) has no such buffer: it hands partial messages over as it reads them, and its own message
 * limits default to "none", so it needs nothing here.
 */
final class ContainerBuffers {

    /** Tyrus's context parameter for the largest frame, in bytes, it buffers. */
    static final String TYRUS_INCOMING_BUFFER = "org.glassfish.tyrus.servlet.incoming-buffer-size";

    /** Tyrus's buffer when the parameter is absent: 4 MiB + 11. */
    static final long TYRUS_DEFAULT_BUFFER = 4L * 1024 * 1024 + 11;

    /** Largest WebSocket frame header: 2 bytes, 8 bytes of extended length, 4 bytes of mask. */
    static final int MAX_FRAME_HEADER = 14;

    private static final Logger LOG = Logger.getLogger(ContainerBuffers.class.getName());

    private ContainerBuffers() {
    }

    /** Warns if {@code container} is Tyrus and its frame buffer is smaller than a frame at the largest limit. */
    static void check(ServletContext context, ServerContainer container, Collection<MessageSizePolicy> policies) {
        if (!container.getClass().getName().startsWith("org.glassfish.tyrus")) {
            return;
        }
        long largestLimit = 0;
        for (MessageSizePolicy policy : policies) {
            largestLimit = Math.max(largestLimit, Math.max(policy.maxTextBytes(), policy.maxBinaryBytes()));
        }
        long needed = largestLimit + MAX_FRAME_HEADER;
        String configured = context.getInitParameter(TYRUS_INCOMING_BUFFER);
        long buffer = parse(configured);
        if (buffer < needed) {
            LOG.warning(() -> "SIZEGUARD-007: " + TYRUS_INCOMING_BUFFER + " is " + (configured == null ? "not set ("
                    + TYRUS_DEFAULT_BUFFER + " bytes)" : configured) + "; on Payara a single frame larger than that is "
                    + "answered with 1011 before Sizeguard sees it. Set it in web.xml to at least " + needed);
        }
    }

    private static long parse(String configured) {
        if (configured == null) {
            return TYRUS_DEFAULT_BUFFER;
        }
        try {
            return Long.parseLong(configured.trim());
        } catch (NumberFormatException notANumber) {
            return TYRUS_DEFAULT_BUFFER;
        }
    }
}
