package org.sizeguard.codec;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;

/**
 * Encodes a {@code T} as a JSON text message with JSON-B. An endpoint author writes
 * <pre>{@code public class OrderEncoder extends JsonEncoder<Order> {}}</pre>
 * and declares it in {@code ServerEndpoint(encoders = OrderEncoder.class)}; an {@code @OnMessage} method that
 * returns an {@code Order}, or {@code session.getBasicRemote().sendObject(order)}, then sends JSON. What
 * {@link JsonDecoder} accepts from a client is not limited here: the server decides what it sends.
 * <p>
 * {@link #init(EndpointConfig)} creates one {@link Jsonb} for this instance and {@link #destroy()} closes it
 * ({@code encode} without {@code init} creates it on first use). {@code Jsonb} is thread-safe, so one instance may
 * encode for several threads.
 *
 * @param <T> the type sent as JSON
 */
public abstract class JsonEncoder<T> implements Encoder.Text<T> {

    private volatile Jsonb jsonb;

    @Override
    public void init(EndpointConfig config) {
        jsonb = createJsonb();
    }

    /**
     * The {@link Jsonb} this encoder writes with, created once per instance; override to configure JSON-B (e.g.
     * {@code JsonbBuilder.create(new JsonbConfig().withFormatting(true))}). {@link #destroy()} closes it.
     */
    protected Jsonb createJsonb() {
        return JsonbBuilder.create();
    }

    @Override
    public void destroy() {
        Jsonb closing = jsonb;
        jsonb = null;
        JsonbLifecycle.close(closing);
    }

    /**
     * The JSON text of {@code object}.
     *
     * @throws EncodeException JSON-B cannot serialise {@code object}; the message names its class
     */
    @Override
    public String encode(T object) throws EncodeException {
        try {
            return jsonb().toJson(object);
        } catch (RuntimeException e) {
            throw new EncodeException(object, "cannot encode " + (object == null ? "null" : object.getClass().getName())
                    + " as JSON: " + e.getMessage(), e);
        }
    }

    private Jsonb jsonb() {
        Jsonb mapper = jsonb;
        if (mapper == null) {
            synchronized (this) {
                mapper = jsonb;
                if (mapper == null) {
                    mapper = createJsonb();
                    jsonb = mapper;
                }
            }
        }
        return mapper;
    }
}
