package org.sizeguard.transfer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a guarded server endpoint that receives chunked transfers: one per endpoint, public,
 * taking a {@link ReceivedTransfer} and optionally the {@code Session}, in any order. With it, the endpoint also
 * speaks the transfer protocol ({@code docs/transfer-protocol.md}) on connections that offer the subprotocol
 * {@value #SUBPROTOCOL}; its {@code @OnMessage} methods keep serving every other connection, and its
 * {@code @OnOpen}, {@code @OnClose} and {@code @OnError} methods serve both.
 * <p>
 * The method is called once per transfer, on the container's thread, only after every byte has arrived and the
 * size and SHA-256 match what the client declared. When it returns, Sizeguard sends the client its receipt
 * ({@code {"id":…,"bytes":N,"sha256":"<hex>"}}) and deletes the spilled bytes: read, copy or move
 * {@link ReceivedTransfer#path()} before returning. To refuse the transfer, throw a
 * {@link TransferRefusedException} (or any {@code SizeguardCloseException}): the session closes with its code
 * (1008 by default) and no receipt is sent.
 *
 * <pre>
 * &#64;ServerEndpoint("/files")
 * public class FileDrop {
 *     &#64;OnTransfer
 *     public void received(ReceivedTransfer transfer) throws IOException {
 *         Files.move(transfer.path(), inbox.resolve(transfer.id()));
 *     }
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnTransfer {

    /** The WebSocket subprotocol of the transfer protocol, version 1. */
    String SUBPROTOCOL = "sizeguard-transfer.v1";
}
