package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * Each sink on its own, between a part from the container and the author's method: what it lets through, what it
 * refuses (with the close code and the bytes seen), that the refused method is not called and that nothing stays
 * reserved.
 */
class MessageSinkTest {

    private static final MessageSink.Limits FOUR_BYTES = new MessageSink.Limits(4, Duration.ZERO);

    /** Collects what its methods receive. */
    @ServerEndpoint("/collect")
    public static class Collector {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

        @OnMessage
        public void text(String text) {
            received.add(text);
        }

        @OnMessage
        public void binary(byte[] part, boolean last) {
            received.add(new String(part) + (last ? "|" : ""));
        }
    }

    @ServerEndpoint("/count")
    public static class Counter {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

        @OnMessage
        public void count(int count) {
            received.add(count);
        }
    }

    @ServerEndpoint("/read")
    public static class Reading {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

        @OnMessage
        public void read(Reader reader) throws IOException {
            StringWriter text = new StringWriter();
            reader.transferTo(text);
            received.add(text.toString() + "@" + Thread.currentThread().getName().startsWith("sizeguard-stream"));
        }
    }

    record Refusal(MessageKind kind, long observedBytes, SizeguardCloseException rejection) {
    }

    @RegisterExtension
    final StartedRuntimes runtimes = new StartedRuntimes();

    private final GuardRuntime runtime = runtimes.started(new GuardRuntime(new Rejections(event -> { }),
            new ServerLimits(1L << 20, 2, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO)));
    private final EndpointCounters counters = new EndpointCounters("/sink");
    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final FakeSession fake = new FakeSession();

    private BoundMethod bound(MessageMethod method, Object author) {
        return new BoundMethod(method, author, fake.session, () -> false, reply -> { }, failures::add);
    }

    private static MessageMethod method(Class<?> endpoint, MessageKind kind) {
        return EndpointModel.of(endpoint).messageMethod(kind).orElseThrow();
    }

    private MessageSink<String> textSink(Object author, MessageSink.Limits limits) {
        MessageMethod method = method(author.getClass(), MessageKind.TEXT);
        List<jakarta.websocket.Decoder> decoders = method.decoders().stream().map(type -> type.shared()).toList();
        return MessageSink.text(method, decoders, limits, runtime, counters,
                (kind, observed, rejection) -> refusals.add(new Refusal(kind, observed, rejection)),
                bound(method, author));
    }

    @Test
    void aWholeMessageSinkJoinsThePartsWithinTheLimitAndDeliversTheMessageOnce() throws Exception {
        Collector author = new Collector();
        MessageSink<String> sink = textSink(author, FOUR_BYTES);

        sink.accept("ab", false);
        assertThat(author.received).as("nothing before the last part").isEmpty();
        assertThat(runtime.budget().reserved()).as("the join buffer is reserved").isPositive();
        sink.accept("cd", true);

        assertThat(author.received.poll(1, TimeUnit.SECONDS)).isEqualTo("abcd");
        assertThat(author.received).isEmpty();
        assertThat(runtime.budget().reserved()).isZero();
        assertThat(refusals).isEmpty();
        assertThat(counters.messages(MessageKind.TEXT)).as("one message counted, at its last part").isEqualTo(1);
        assertThat(counters.bytes(MessageKind.TEXT)).isEqualTo(4);
    }

    @Test
    void refusesThePartThatTakesTheMessageOverItsLimitWithoutCallingTheMethodAndReleasesTheBuffer() {
        Collector author = new Collector();
        MessageSink<String> sink = textSink(author, FOUR_BYTES);

        sink.accept("abc", false);
        sink.accept("dé", false);

        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(refusal.rejection().closeCode()).isEqualTo(CloseCodes.TOO_BIG);
            assertThat(refusal.rejection().getMessage()).isEqualTo("text message exceeds 4 bytes");
            assertThat(refusal.observedBytes()).as("UTF-8 bytes seen: 3 + 3").isEqualTo(6);
        });
        assertThat(author.received).isEmpty();
        assertThat(runtime.budget().reserved()).isZero();
        assertThat(counters.messages(MessageKind.TEXT)).as("a refused message is not a received one").isZero();
        assertThat(counters.bytes(MessageKind.TEXT)).as("the bytes that arrived are counted").isEqualTo(6);
    }

    @Test
    void aPartialSinkHandsOnEachPartAsItsBytesButCapsTheWholeMessage() {
        Collector author = new Collector();
        MessageMethod method = method(Collector.class, MessageKind.BINARY);
        MessageSink<ByteBuffer> sink = MessageSink.binary(method, List.of(), FOUR_BYTES, runtime, counters,
                (kind, observed, rejection) -> refusals.add(new Refusal(kind, observed, rejection)),
                bound(method, author));

        sink.accept(ByteBuffer.wrap("ab".getBytes()), false);
        sink.accept(ByteBuffer.wrap("cd".getBytes()), true);
        sink.accept(ByteBuffer.wrap("efg".getBytes()), false);
        sink.accept(ByteBuffer.wrap("hi".getBytes()), true);

        assertThat(author.received).containsExactly("ab", "cd|", "efg");
        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(refusal.kind()).isEqualTo(MessageKind.BINARY);
            assertThat(refusal.rejection().getMessage()).isEqualTo("binary message exceeds 4 bytes");
        });
        assertThat(runtime.budget().reserved()).as("a partial sink holds nothing").isZero();
    }

    @Test
    void aStreamSinkFeedsAReaderOnAStreamThreadAndGivesItsSlotBack() throws Exception {
        Reading author = new Reading();
        MessageSink<String> sink = textSink(author, new MessageSink.Limits(64, Duration.ofSeconds(10)));

        sink.accept("first ", false);
        sink.accept("second", true);

        assertThat(author.received.poll(5, TimeUnit.SECONDS)).isEqualTo("first second@true");
        sink.accept("whole", true);
        assertThat(author.received.poll(5, TimeUnit.SECONDS)).as("one part: read on the container's thread")
                .isEqualTo("whole@false");
        assertThat(runtime.streams().active()).isZero();
        assertThat(runtime.budget().reserved()).isZero();
    }

    @Test
    void aPrimitivePayloadThatIsNotANumberIsRefusedWith1007AndItsSize() {
        Counter author = new Counter();
        MessageSink<String> sink = textSink(author, FOUR_BYTES);

        sink.accept("12", true);
        sink.accept("x", true);

        assertThat(author.received).containsExactly(12);
        assertThat(refusals).singleElement().satisfies(refusal -> {
            assertThat(refusal.rejection().closeCode()).isEqualTo(CloseCodes.NOT_CONSISTENT);
            assertThat(refusal.rejection().getMessage()).isEqualTo("text message is not a int");
            assertThat(refusal.observedBytes()).isEqualTo(1);
        });
    }

    @Test
    void aClosedSinkIgnoresLaterPartsAndHoldsNothing() {
        Collector author = new Collector();
        MessageSink<String> sink = textSink(author, FOUR_BYTES);
        sink.accept("ab", false);

        sink.close("the session closed");
        sink.accept("cd", true);

        assertThat(author.received).isEmpty();
        assertThat(runtime.budget().reserved()).isZero();
        assertThat(runtime.stats().messagesInProgress()).isZero();
        assertThat(failures).isEmpty();
    }
}
