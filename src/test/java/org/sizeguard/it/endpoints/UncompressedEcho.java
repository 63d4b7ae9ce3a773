package org.sizeguard.it.endpoints;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;

/** Echo under a policy that never negotiates permessage-deflate. */
@ServerEndpoint("/it/uncompressed")
@SizePolicy(value = "uncompressed", permessageDeflate = "false")
public class UncompressedEcho {

    @OnMessage
    public String echo(String text) {
        return text;
    }
}
