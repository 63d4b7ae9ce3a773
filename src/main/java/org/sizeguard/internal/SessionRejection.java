package org.sizeguard.internal;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;

/**
 * Where a message sink hands a refused message: the session's {@link SessionClose}, the one owner of its close. At
 * most once per message, from the container's thread, a deadline's or a stream reader's; the session acts only on
 * the first.
 */
@FunctionalInterface
interface SessionRejection {

    /**
     * Refuses the message, closing the session on this thread (the container's reading thread).
     *
     * @param observedBytes bytes of the message received so far, for the event where the exception does not say
     */
    void reject(MessageKind kind, long observedBytes, SizeguardCloseException rejection);

    /**
     * Refuses the message from one of Sizeguard's own threads (a deadline, a stream reader), whose close is made on
     * a close thread so that a client that does not read cannot hold them. By default as {@link #reject}.
     */
    default void rejectElsewhere(MessageKind kind, long observedBytes, SizeguardCloseException rejection) {
        reject(kind, observedBytes, rejection);
    }
}
