package org.sizeguard.it.endpoints;

import java.util.List;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;
import org.sizeguard.codec.JsonDecoder;
import org.sizeguard.codec.JsonEncoder;

/**
 * A typed JSON endpoint: classes bound by the server's JSON-B, answered with the order's total, under policy
 * {@code json} whose structure limits (depth 8, 100 elements, 64-byte values) only apply if CDI hands the
 * endpoint's policy to the decoder.
 */
@ServerEndpoint(value = "/it/json-orders", decoders = JsonOrders.OrderDecoder.class,
        encoders = JsonOrders.OrderEncoder.class)
@SizePolicy(value = "json", maxNestingDepth = "8", maxElements = "100", maxValueSize = "64")
public class JsonOrders {

    /** A line of an order; public fields, as JSON-B binds them on every server. */
    public static class Line {
        public String sku;
        public int quantity;
        public long cents;
    }

    /** An order and, in the answer, its total. */
    public static class Order {
        public String id;
        public List<Line> lines;
        public long total;
    }

    public static class OrderDecoder extends JsonDecoder<Order> {
    }

    public static class OrderEncoder extends JsonEncoder<Order> {
    }

    @OnMessage
    public Order total(Order order) {
        order.total = order.lines.stream().mapToLong(line -> line.quantity * line.cents).sum();
        return order;
    }
}
