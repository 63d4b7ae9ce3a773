package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.CloseAssertions.assertClosedWith;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageRejected;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;
import org.sizeguard.StructureLimits;
import org.sizeguard.codec.MessagePackDecoder;
import org.sizeguard.codec.MessagePackValueDecoder;
import org.sizeguard.codec.MessagePackValueEncoder;

/** The MessagePack decoders behind a guarded endpoint: what they refuse becomes the session's close. */
class GuardedMessagePackTest {

    private static final MessageSizePolicy POLICY = new MessageSizePolicy("default", 1024, 1024, 1024, 1024,
            Duration.ofSeconds(30), new StructureLimits(8, 100, 64));

    private final List<MessageRejected> events = new ArrayList<>();
    private final FakeSession fake = new FakeSession();
    @RegisterExtension
    final StartedRuntimes runtimes = new StartedRuntimes();

    private final GuardRuntime runtime = runtimes.started(
            new GuardRuntime(new Rejections(events::add), ServerLimits.defaults()));
    private final LiveStats stats = runtime.stats();

    public record Line(String sku, int quantity) {
    }

    public static class LineDecoder extends MessagePackDecoder<Line> {
    }

    @ServerEndpoint(value = "/msgpack", decoders = MessagePackValueDecoder.class,
            encoders = MessagePackValueEncoder.class)
    public static class Values {
        final List<Value> received = new ArrayList<>();

        @OnMessage
        public Value echo(Value value) {
            received.add(value);
            return value;
        }
    }

    @ServerEndpoint(value = "/lines", decoders = LineDecoder.class)
    public static class Lines {
        final List<Line> received = new ArrayList<>();

        @OnMessage
        public void line(Line line) {
            received.add(line);
        }
    }

    @BeforeEach
    void installPolicies() {
        // Without CDI (as here) a decoder falls back to the application's default policy.
        DeployedApplication.install(ConfiguredPolicies.only(POLICY));
    }

    @AfterEach
    void stop() {
        DeployedApplication.install((SizePolicies) null);
    }

    private void open(Object author) {
        new GuardedEndpoint(EndpointModel.of(author.getClass()), POLICY, ManagedInstance.of(author), runtime)
                .onOpen(fake.session, null);
    }

    private static byte[] packed(MessageBufferPackerUse use) throws IOException {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            use.pack(packer);
            return packer.toByteArray();
        }
    }

    private interface MessageBufferPackerUse {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    @Test
    void decodesAValueAndSendsItBack() throws IOException {
        Values values = new Values();
        open(values);
        byte[] message = packed(p -> p.packMapHeader(1).packInt(7).packFloat(1.5f));

        fake.binary(Arrays.copyOf(message, 2), false);
        fake.binary(Arrays.copyOfRange(message, 2, message.length), true);

        assertThat(values.received).singleElement().satisfies(value ->
                assertThat(MessagePackValueEncoder.pack(value)).isEqualTo(message));
        assertThat(fake.sent).containsExactly(values.received.get(0));
        assertThat(fake.closes).isEmpty();
    }

    @Test
    void closesWith1009NamingTheRuleWhenTheDecoderFindsTheNestingTooDeep() {
        Values values = new Values();
        open(values);
        byte[] deep = new byte[10];
        Arrays.fill(deep, 0, 9, (byte) 0x91);
        deep[9] = (byte) 0xc0;

        fake.binary(deep, true);

        assertThat(values.received).isEmpty();
        assertClosedWith(fake.closes, CloseCodes.TOO_BIG, "MessagePack nesting exceeds 8 levels");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.closeCode()).isEqualTo(1009);
            assertThat(event.kind()).isEqualTo(MessageKind.BINARY);
        });
    }

    @Test
    void closesWith1009WhenAHeaderDeclaresMoreElementsThanTheLimit() {
        Values values = new Values();
        open(values);

        fake.binary(new byte[] {(byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5},
                true);

        assertThat(values.received).isEmpty();
        assertClosedWith(fake.closes, CloseCodes.TOO_BIG,
                "MessagePack array of 4294967295 elements exceeds 100 elements");
    }

    @Test
    void closesWith1007WhenTheMessageIsNotMessagePack() {
        Values values = new Values();
        open(values);

        fake.binary(new byte[] {(byte) 0x92, 1}, true);

        assertThat(values.received).isEmpty();
        assertThat(fake.closes).singleElement().satisfies(reason -> {
            assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.NOT_CONSISTENT);
            assertThat(reason.getReasonPhrase()).startsWith("MessagePack could not be decoded: ");
        });
    }

    @Test
    void bindsATypedMessageAndClosesWith1007WhenItDoesNotFitTheType() throws IOException {
        Lines lines = new Lines();
        open(lines);

        fake.binary(packed(p -> p.packMapHeader(2).packString("sku").packString("a").packString("quantity")
                .packInt(3)), true);
        fake.binary(packed(p -> p.packMapHeader(1).packInt(1).packInt(2)), true);

        assertThat(lines.received).containsExactly(new Line("a", 3));
        assertClosedWith(fake.closes, CloseCodes.NOT_CONSISTENT,
                "MessagePack could not be decoded as Line: a map key is an integer, not a string");
    }
}
