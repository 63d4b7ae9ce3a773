package org.sizeguard.app;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.msgpack.value.Value;
import org.sizeguard.codec.MessagePackValueDecoder;
import org.sizeguard.codec.MessagePackValueEncoder;

/**
 * MessagePack in, the same value as MessagePack out, under the default policy: the message and its structure
 * (nesting depth, elements, value size) are checked while it is read, before anything it declares is allocated.
 */
@ServerEndpoint(value = "/msgpack", decoders = MessagePackValueDecoder.class, encoders = MessagePackValueEncoder.class)
public class MessagePackEchoEndpoint {

    @OnMessage
    public Value echo(Value value) {
        return value;
    }
}
