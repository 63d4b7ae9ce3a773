package org.sizeguard;

/**
 * CDI event fired once for every message Sizeguard rejects, just before it closes the session. Observe it
 * with {@code @Observes MessageRejected}; observers run synchronously on the thread that read the message,
 * so they should be quick.
 *
 * @param endpointPath  the endpoint's path template, e.g. {@code /echo}
 * @param sessionId     the WebSocket session id
 * @param kind          text or binary; {@code TEXT} for a refusal that concerns no one message (a framing violation
 *                      seen between messages, a send backlog)
 * @param limit         the limit that applied, in bytes, or {@code -1} if the rejection was not about size
 * @param observedBytes bytes of the message that had arrived when it was rejected
 * @param closeCode     the close code sent, e.g. 1009
 * @param reason        the close reason phrase sent
 */
public record MessageRejected(String endpointPath, String sessionId, MessageKind kind, long limit,
        long observedBytes, int closeCode, String reason) {
}
