package org.sizeguard.internal;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;

/**
 * The end of the inbound path for a message that is refused: the session's one rejection path (the close with the
 * exception's code and reason, the event, the release of what the session holds). Called at most once per message
 * from the container's thread, a deadline's or a stream reader's; the session's own implementation acts only once.
 */
@FunctionalInterface
interface SessionRejection {

    /** @param observedBytes bytes of the message received so far, for the event where the exception does not say */
    void reject(MessageKind kind, long observedBytes, SizeguardCloseException rejection);
}
