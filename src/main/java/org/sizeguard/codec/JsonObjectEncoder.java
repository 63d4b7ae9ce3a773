package org.sizeguard.codec;

import jakarta.json.JsonObject;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;

/**
 * Sends a JSON-P {@link JsonObject} as a text message: its JSON text ({@link JsonObject#toString()}, which JSON-P
 * specifies as the value's JSON text), compact, members in the object's order. The counterpart of
 * {@link JsonObjectDecoder}: an object decoded from a message and sent back is the same JSON value. Stateless and
 * thread-safe.
 */
public class JsonObjectEncoder implements Encoder.Text<JsonObject> {

    @Override
    public void init(EndpointConfig config) {
        // Nothing to set up.
    }

    @Override
    public void destroy() {
        // Nothing to release.
    }

    @Override
    public String encode(JsonObject object) throws EncodeException {
        if (object == null) {
            throw new EncodeException(null, "cannot encode null as a JSON object");
        }
        return object.toString();
    }
}
