package org.sizeguard;

/**
 * The kind of a WebSocket data message, as RFC 6455 distinguishes them (opcode 0x1 and 0x2).
 */
public enum MessageKind {
    /** A text message; its size is counted in UTF-8 bytes, whatever the platform charset. */
    TEXT("text message"),
    /** A binary message; its size is counted in bytes. */
    BINARY("binary message");

    private final String description;

    MessageKind(String description) {
        this.description = description;
    }

    /** How a close reason or log line names this kind, e.g. {@code "text message"}. */
    public String description() {
        return description;
    }
}
