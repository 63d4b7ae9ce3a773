package org.sizeguard.it.endpoints;

import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;
import org.sizeguard.transfer.OnTransfer;
import org.sizeguard.transfer.ReceivedTransfer;

/** Transfers that must be complete within 2 seconds of their start. */
@ServerEndpoint("/it/hurried")
@SizePolicy(value = "hurried", transferDeadline = "2s")
public class HurriedFileDrop {

    @OnTransfer
    public void received(ReceivedTransfer transfer) {
        // Nothing to keep: the test only needs the deadline.
    }
}
