package org.sizeguard.app;

import jakarta.json.JsonObject;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.codec.JsonObjectDecoder;
import org.sizeguard.codec.JsonObjectEncoder;

/**
 * A JSON object in, the same object re-encoded out, under the default policy: the text and its structure (nesting
 * depth, elements, string length, number size) are checked while it is read.
 */
@ServerEndpoint(value = "/json", decoders = JsonObjectDecoder.class, encoders = JsonObjectEncoder.class)
public class JsonEchoEndpoint {

    @OnMessage
    public JsonObject echo(JsonObject object) {
        return object;
    }
}
