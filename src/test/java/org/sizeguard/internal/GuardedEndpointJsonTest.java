package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.sizeguard.internal.CloseAssertions.assertClosedWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sizeguard.MessageRejected;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.codec.JsonObjectDecoder;
import org.sizeguard.codec.JsonObjectEncoder;

/**
 * A {@link org.sizeguard.codec.JsonDecoder} under {@link GuardedEndpoint}: the message is streamed to it, and what
 * it refuses ends the session through the one close path, without calling the endpoint.
 */
class GuardedEndpointJsonTest {

    /** Sizeguard reads the message as a stream for a Decoder.TextStream: the stream cap applies. */
    private static final MessageSizePolicy POLICY = new MessageSizePolicy("json", 16, 16, 1000, 16,
            Duration.ofSeconds(30));

    @ServerEndpoint(value = "/json", decoders = JsonObjectDecoder.class, encoders = JsonObjectEncoder.class)
    public static class JsonEcho {
        final List<JsonObject> received = new CopyOnWriteArrayList<>();

        @OnMessage
        public JsonObject echo(JsonObject object) {
            received.add(object);
            return object;
        }
    }

    private final List<MessageRejected> events = new CopyOnWriteArrayList<>();
    private final FakeSession fake = new FakeSession();
    @RegisterExtension
    final StartedRuntimes runtimes = new StartedRuntimes();

    private final GuardRuntime runtime = runtimes.started(
            new GuardRuntime(new Rejections(events::add), ServerLimits.defaults()));
    private final LiveStats stats = runtime.stats();

    private JsonEcho open() {
        JsonEcho author = new JsonEcho();
        new GuardedEndpoint(EndpointModel.of(JsonEcho.class), POLICY, ManagedInstance.of(author), runtime)
                .onOpen(fake.session, null);
        return author;
    }

    @Test
    void streamsAJsonObjectInPartsToTheDecoderAndSendsItBack() {
        JsonEcho json = open();

        fake.text("{\"order\":[1,", false);
        fake.text("2],\"by\":\"\uD83D\uDE00\"}", true);

        JsonObject expected = Json.createObjectBuilder()
                .add("order", Json.createArrayBuilder().add(1).add(2)).add("by", "\uD83D\uDE00").build();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.sent).containsExactly(expected));
        assertThat(json.received).containsExactly(expected);
        assertThat(fake.closes).isEmpty();
    }

    @Test
    void closesWith1009NamingTheRuleWhenTheJsonNestsTooDeepWithoutCallingTheEndpoint() {
        JsonEcho json = open();

        fake.text("{\"a\":" + "[".repeat(64), false);
        fake.text("]".repeat(64) + "}", true);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertClosedWith(fake.closes, CloseCodes.TOO_BIG, "JSON nesting exceeds 64 levels"));
        assertThat(json.received).isEmpty();
        assertThat(events).singleElement().extracting(MessageRejected::closeCode).isEqualTo(1009);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stats.activeStreams()).isZero());
    }

    @Test
    void closesWith1007WhenTheJsonIsMalformed() {
        JsonEcho json = open();

        fake.text("{\"a\" 1}", true);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.closes).singleElement()
                .satisfies(reason -> {
                    assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.NOT_CONSISTENT);
                    assertThat(reason.getReasonPhrase()).startsWith("JSON could not be parsed: ");
                }));
        assertThat(json.received).isEmpty();
        assertThat(fake.sent).isEmpty();
    }

    @Test
    void closesWith1009AtTheStreamCapBeforeTheDecoderSeesMore() {
        JsonEcho json = open();
        List<String> parts = new ArrayList<>();
        parts.add("[\"" + "x".repeat(600));
        parts.add("x".repeat(600) + "\"]");

        fake.text(parts.get(0), false);
        fake.text(parts.get(1), true);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.closes).singleElement()
                .satisfies(reason -> assertThat(reason.getReasonPhrase()).isEqualTo("text message exceeds 1000 bytes")));
        assertThat(json.received).isEmpty();
    }

    @Test
    void freesTheReadingThreadAtOnceWhenTheDecoderRefusesEarly() {
        JsonEcho json = open();
        // The decoder stops reading after the first part; the client goes on sending without waiting. A part blocked
        // on the full queue must return when the decoder's refusal fails the pipe, not wait until the message's
        // completion deadline (30 s) holding the monitor that the refusal's cleanup needs.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            fake.text("[".repeat(65), false);
            for (int i = 0; i < 20; i++) {
                fake.text("1,".repeat(10), false);
            }
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.closes).singleElement()
                .extracting(CloseReason::getReasonPhrase).isEqualTo("JSON nesting exceeds 64 levels"));
        assertThat(json.received).isEmpty();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stats.activeStreams()).isZero());
    }

    @Test
    void endsAStreamedMessageThatNeverFinishesWith1008AtItsDeadlineNever1007FromTheReaderItWakes() {
        // The deadline's refusal must be taken before the reader is woken: a reader woken first reads an IOException
        // and would report the message as undecodable (1007). Repeated: the two threads race.
        MessageSizePolicy hurried = new MessageSizePolicy("json", 16, 16, 1000, 16, Duration.ofMillis(50));
        for (int attempt = 0; attempt < 20; attempt++) {
            FakeSession session = new FakeSession();
            JsonEcho author = new JsonEcho();
            new GuardedEndpoint(EndpointModel.of(JsonEcho.class), hurried, ManagedInstance.of(author), runtime)
                    .onOpen(session.session, null);

            session.text("{\"a\":", false);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertClosedWith(session.closes,
                    CloseCodes.VIOLATED_POLICY, "text message not completed within 50 ms"));
            assertThat(author.received).isEmpty();
        }
        assertThat(events).hasSize(20).allSatisfy(event -> assertThat(event.closeCode()).isEqualTo(1008));
    }
}
