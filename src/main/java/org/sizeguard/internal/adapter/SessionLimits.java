package org.sizeguard.internal.adapter;

import org.sizeguard.MessageKind;

/**
 * The limits of one guarded session's messages, as a value: what the connection (or extension) under the session
 * checks each message against. The session gives it when it attaches; the connection reads it once per message, when
 * the message's first frame arrives, so that limits the session is given later apply from its next message.
 *
 * @param maxTextBytes   the limit of a text message, in UTF-8 bytes: the message limit, or the stream cap for an
 *                       endpoint that takes text as a stream or in parts
 * @param maxBinaryBytes the limit of a binary message, in bytes, likewise
 */
public record SessionLimits(long maxTextBytes, long maxBinaryBytes) {

    /** No limit: a connection no guarded session has attached to. */
    public static final SessionLimits NONE = new SessionLimits(Long.MAX_VALUE, Long.MAX_VALUE);

    public SessionLimits {
        if (maxTextBytes < 0 || maxBinaryBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxTextBytes + ", " + maxBinaryBytes);
        }
    }

    /** The limit of a message of {@code kind}, in bytes. */
    public long of(MessageKind kind) {
        return kind == MessageKind.TEXT ? maxTextBytes : maxBinaryBytes;
    }
}
