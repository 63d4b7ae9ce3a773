package org.sizeguard.it.endpoints;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.msgpack.value.Value;
import org.sizeguard.SizePolicy;
import org.sizeguard.codec.MessagePackValueDecoder;
import org.sizeguard.codec.MessagePackValueEncoder;

/**
 * MessagePack in, the same value as MessagePack out, under small structure limits: the decoder must receive this
 * endpoint's policy through CDI for them to apply.
 */
@ServerEndpoint(value = "/it/msgpack-values", decoders = MessagePackValueDecoder.class,
        encoders = MessagePackValueEncoder.class)
@SizePolicy(value = "msgpack", maxNestingDepth = "8", maxElements = "100", maxValueSize = "64")
public class MessagePackValueEcho {

    @OnMessage
    public Value echo(Value value) {
        return value;
    }
}
