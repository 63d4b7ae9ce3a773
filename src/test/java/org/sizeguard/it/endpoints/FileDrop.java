package org.sizeguard.it.endpoints;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;
import org.sizeguard.transfer.OnTransfer;
import org.sizeguard.transfer.ReceivedTransfer;
import org.sizeguard.transfer.TransferRefusedException;

/**
 * An endpoint that takes both: ordinary text messages (echoed) and chunked transfers (small chunks, so that tests
 * exercise many; a window of 2; a 64 MiB cap; a short retention), refusing transfers named {@code refuse.bin} as an
 * application would.
 */
@ServerEndpoint("/it/files")
@SizePolicy(value = "files", maxBinaryMessageSize = "64KiB", transferChunkSize = "16KiB", transferWindow = "2",
        maxTransferSize = "64MiB", transferRetention = "2m")
public class FileDrop {

    @OnMessage
    public String echo(String text) {
        return "echo: " + text;
    }

    @OnTransfer
    public void received(ReceivedTransfer transfer) {
        if (transfer.name().filter("refuse.bin"::equals).isPresent()) {
            throw new TransferRefusedException("refuse.bin is not welcome here");
        }
    }
}
