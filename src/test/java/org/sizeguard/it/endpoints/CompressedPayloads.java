package org.sizeguard.it.endpoints;

import java.util.List;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.codec.Inflation;
import org.sizeguard.codec.InflatingDecoder;
import org.sizeguard.codec.JsonDecoder;
import org.sizeguard.codec.SizeLimitedTextDecoder;

/** Endpoints that take compressed payloads in binary messages: gzipped JSON orders and deflated text. */
public final class CompressedPayloads {

    private CompressedPayloads() {
    }

    /** A JavaBean, as JSON-B binds them. */
    public static class Order {
        public String id;
        public List<Integer> quantities;
    }

    /** Gzipped JSON into {@link Order}, under the endpoint's policy. */
    public static class GzipOrderDecoder extends InflatingDecoder<Order> {
        public GzipOrderDecoder() {
            super(Inflation.GZIP, policy -> new JsonDecoder<Order>(policy) {});
        }
    }

    /** Raw deflate (as {@code CompressionStream("deflate-raw")} writes it) into text. */
    public static class DeflatedTextDecoder extends InflatingDecoder<String> {
        public DeflatedTextDecoder() {
            super(Inflation.DEFLATE, SizeLimitedTextDecoder::new);
        }
    }

    /** Answers an order with {@code "<id>:<sum of quantities>"}. */
    @ServerEndpoint(value = "/it/gzip-orders", decoders = GzipOrderDecoder.class)
    public static class GzipOrders {
        @OnMessage
        public String order(Order order) {
            return order.id + ":" + order.quantities.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Echoes the inflated text as a text message; default policy. */
    @ServerEndpoint(value = "/it/deflated-text", decoders = DeflatedTextDecoder.class)
    public static class DeflatedText {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }
}
