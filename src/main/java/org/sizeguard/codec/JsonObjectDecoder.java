package org.sizeguard.codec;

import jakarta.json.JsonObject;

import org.sizeguard.MessageSizePolicy;

/**
 * Decodes a text message holding a JSON object into a JSON-P {@link JsonObject}, with every check of
 * {@link JsonDecoder}; the object is built from the parser's events as they are checked (no JSON-B involved).
 * A message that is valid JSON but not an object (an array, a string, ...) ends with 1007
 * {@code "JSON does not match JsonObject: the message is an array"}.
 * <p>
 * Declare it as is, {@code ServerEndpoint(value = "/json", decoders = JsonObjectDecoder.class, encoders =
 * JsonObjectEncoder.class)}, to take {@code JsonObject} in an {@code @OnMessage} method.
 */
public class JsonObjectDecoder extends JsonDecoder<JsonObject> {

    /** A decoder whose policy comes from CDI, or {@code SizePolicies.current()}, or the built-in defaults. */
    public JsonObjectDecoder() {
        super();
    }

    /** A decoder held to {@code policy} (unless CDI injects one), for use without CDI and in tests. */
    public JsonObjectDecoder(MessageSizePolicy policy) {
        super(policy);
    }
}
