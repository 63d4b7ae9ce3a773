package org.sizeguard.it.endpoints;

import java.util.List;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.codec.MessagePackDecoder;
import org.sizeguard.codec.MessagePackEncoder;

/** A typed MessagePack endpoint: records bound by the server's JSON-B, answered with the order's total. */
@ServerEndpoint(value = "/it/msgpack-orders", decoders = MessagePackOrders.OrderDecoder.class,
        encoders = MessagePackOrders.OrderEncoder.class)
public class MessagePackOrders {

    public record Line(String sku, int quantity, long cents) {
    }

    public record Order(String id, List<Line> lines, byte[] note, long total) {
    }

    public static class OrderDecoder extends MessagePackDecoder<Order> {
    }

    public static class OrderEncoder extends MessagePackEncoder<Order> {
    }

    @OnMessage
    public Order total(Order order) {
        long total = order.lines().stream().mapToLong(line -> line.quantity() * line.cents()).sum();
        return new Order(order.id(), order.lines(), order.note(), total);
    }
}
