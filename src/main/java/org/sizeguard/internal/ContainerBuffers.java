package org.sizeguard.internal;

import java.util.Collection;
import java.util.logging.Logger;

import jakarta.servlet.ServletContext;

import org.sizeguard.MessageSizePolicy;

/**
 * Sizes the container's own buffers from the policies so that the container never fails a message before
 * Sizeguard can reject it with 1009.
 * <p>
 * Tyrus (Payara) parses a frame only once its whole payload is buffered and answers a frame larger than its
 * incoming buffer (default 4 MiB) with 1011 "Buffer overflow." It reads the buffer size from the context
 * parameter {@value #TYRUS_INCOMING_BUFFER} at every upgrade, so Sizeguard sets it here, before the context
 * starts: to the largest limit of any policy, and at least {@value #MIN_FRAME_BYTES} bytes, plus the 14 bytes of
 * a frame header. A larger frame is then read into the buffer and rejected by Sizeguard with 1009. A value the
 * application set itself in {@code web.xml} is kept; Sizeguard warns if it is too small.
 * <p>
 * Undertow (WildFly) has no such buffer: it hands partial messages over as it reads them, and its own message
 * limits default to "none", so it needs nothing here.
 */
final class ContainerBuffers {

    /** Tyrus's context parameter for the largest frame, in bytes, it buffers. */
    static final String TYRUS_INCOMING_BUFFER = "org.glassfish.tyrus.servlet.incoming-buffer-size";

    /** Frames up to this many payload bytes reach Sizeguard on Tyrus whatever the limits: 64 MiB. */
    static final long MIN_FRAME_BYTES = 64L * 1024 * 1024;

    /** Largest WebSocket frame header: 2 bytes, 8 bytes of extended length, 4 bytes of mask. */
    static final int MAX_FRAME_HEADER = 14;

    private static final Logger LOG = Logger.getLogger(ContainerBuffers.class.getName());

    private ContainerBuffers() {
    }

    static void size(ServletContext context, Collection<MessageSizePolicy> policies) {
        long largestLimit = MIN_FRAME_BYTES;
        for (MessageSizePolicy policy : policies) {
            largestLimit = Math.max(largestLimit, Math.max(policy.maxTextBytes(), policy.maxBinaryBytes()));
        }
        int wanted = (int) Math.min(Integer.MAX_VALUE, largestLimit + MAX_FRAME_HEADER);
        if (!context.setInitParameter(TYRUS_INCOMING_BUFFER, Integer.toString(wanted))
                && isSmaller(context.getInitParameter(TYRUS_INCOMING_BUFFER), wanted)) {
            String configured = context.getInitParameter(TYRUS_INCOMING_BUFFER);
            LOG.warning(() -> "SIZEGUARD-007: " + TYRUS_INCOMING_BUFFER + " is set to " + configured + " by the "
                    + "application; Payara answers frames larger than that with 1011 instead of Sizeguard's 1009 "
                    + "(Sizeguard would use " + wanted + ")");
        }
    }

    private static boolean isSmaller(String configured, int wanted) {
        try {
            return Integer.parseInt(configured.trim()) < wanted;
        } catch (NumberFormatException notANumber) {
            return true;
        }
    }
}
