package org.sizeguard.app;

import java.util.logging.Logger;

import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;
import org.sizeguard.transfer.OnTransfer;
import org.sizeguard.transfer.ReceivedTransfer;

/**
 * Takes chunked transfers of up to 1 GiB (policy {@code transfer}: {@code sizeguard.policy.transfer.*}) over the
 * protocol of {@code docs/transfer-protocol.md}, and answers each verified transfer with its receipt
 * {@code {"id":…,"bytes":N,"sha256":"<hex>"}}. It keeps nothing: the spilled bytes are deleted when the method
 * returns. An application's own endpoint does the same with its own {@link OnTransfer} method.
 */
@ServerEndpoint("/transfer")
@SizePolicy(value = "transfer", maxTransferSize = "1GiB")
public class TransferEndpoint {

    private static final Logger LOG = Logger.getLogger(TransferEndpoint.class.getName());

    @OnTransfer
    public void received(ReceivedTransfer transfer) {
        LOG.fine(() -> "transfer " + transfer.id() + " of " + transfer.size() + " bytes received, sha256 "
                + transfer.sha256());
    }
}
