package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sizeguard.internal.CloseAssertions.assertClosedWith;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageRejected;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.ContainerAdapter;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.SessionLimits;

class GuardedEndpointTest {

    private static final MessageSizePolicy POLICY = new MessageSizePolicy("test", 10, 8);

    private final List<MessageRejected> events = new ArrayList<>();
    private final List<String> logLines = new ArrayList<>();
    private final FakeSession fake = new FakeSession();
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @RegisterExtension
    final StartedRuntimes runtimes = new StartedRuntimes();

    private final GuardRuntime runtime = runtimes.started(new GuardRuntime(new Rejections(events::add),
            new ServerLimits(1L << 30, 4, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO)));
    private final LiveStats stats = runtime.stats();

    @BeforeEach
    void captureLog() {
        Logger.getLogger(Rejections.class.getName()).addHandler(logCapture);
    }

    @AfterEach
    void releaseLog() {
        Logger.getLogger(Rejections.class.getName()).removeHandler(logCapture);
    }

    @ServerEndpoint("/rooms/{room}")
    public static class Echo {
        final List<String> received = new ArrayList<>();
        final List<String> lifecycle = new ArrayList<>();

        @OnOpen
        public void open(Session session, @PathParam("room") String room) {
            lifecycle.add("open " + room);
        }

        @OnMessage
        public String text(String text, @PathParam("room") String room) {
            received.add(text);
            return room + ":" + text;
        }

        @OnMessage
        public byte[] binary(byte[] bytes) {
            received.add("binary " + bytes.length);
            return bytes;
        }

        @OnClose
        public void close(CloseReason reason) {
            lifecycle.add("close " + reason.getCloseCode().getCode());
        }
    }

    public record Point(int x, int y) {
    }

    public static class PointDecoder implements Decoder.Text<Point> {
        @Override
        public Point decode(String text) throws DecodeException {
            String[] parts = text.split(",");
            if (parts.length != 2) {
                throw new DecodeException(text, "expected x,y");
            }
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }

        @Override
        public boolean willDecode(String text) {
            return true;
        }
    }

    @ServerEndpoint(value = "/points", decoders = PointDecoder.class)
    public static class Points {
        final List<Point> received = new ArrayList<>();

        @OnMessage
        public void point(Point point) {
            received.add(point);
        }
    }

    @ServerEndpoint("/parts")
    public static class Parts {
        final List<String> parts = new ArrayList<>();

        @OnMessage
        public void part(String part, boolean last) {
            parts.add(part + (last ? "|" : ""));
        }
    }

    @ServerEndpoint("/strict")
    public static class Strict {
        @OnMessage
        public void refuse(String text) {
            throw new MessageTooBigException(MessageKind.TEXT, 3, text.length());
        }
    }

    @ServerEndpoint("/reader")
    public static class ReaderEndpoint {
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch reading = new CountDownLatch(1);

        @OnMessage
        public String read(Reader reader) {
            StringBuilder text = new StringBuilder();
            try {
                for (int c = reader.read(); c >= 0; c = reader.read()) {
                    text.append((char) c);
                    reading.countDown();
                }
            } catch (IOException e) {
                failures.add(e);
                return null;
            }
            return "read " + text;
        }
    }

    private static final MessageSizePolicy STREAMS = new MessageSizePolicy("streams", 4, 4, 20, 20,
            Duration.ofMillis(300));

    private GuardedEndpoint open(Object author) {
        return open(author, POLICY);
    }

    private GuardedEndpoint open(Object author, MessageSizePolicy policy) {
        return open(author, policy, runtime);
    }

    private GuardedEndpoint open(Object author, MessageSizePolicy policy, GuardRuntime runtime) {
        GuardedEndpoint endpoint = new GuardedEndpoint(EndpointModel.of(author.getClass()), policy,
                ManagedInstance.of(author), runtime);
        fake.pathParameters.put("room", "blue");
        endpoint.onOpen(fake.session, null);
        return endpoint;
    }

    @Test
    void deliversAMessageJoinedFromPartsAndSendsTheResultBack() {
        Echo echo = new Echo();
        open(echo);

        fake.text("hel", false);
        fake.text("lo", true);

        assertThat(echo.received).containsExactly("hello");
        assertThat(fake.sent).containsExactly("blue:hello");
        assertThat(echo.lifecycle).containsExactly("open blue");
    }

    @Test
    void acceptsTextOfExactlyTheLimit() {
        Echo echo = new Echo();
        open(echo);

        fake.text("0123456789", true);

        assertThat(echo.received).containsExactly("0123456789");
        assertThat(fake.closes).isEmpty();
    }

    @Test
    void closesWith1009WhenTextExceedsLimitByOneByteWithoutCallingTheEndpoint() {
        Echo echo = new Echo();
        open(echo);

        fake.text("01234", false);
        fake.text("567890", false);

        assertClosedWith(fake.closes, CloseCodes.TOO_BIG, "text message exceeds 10 bytes");
        assertThat(echo.received).isEmpty();
        assertThat(fake.sent).isEmpty();
        assertThat(events).containsExactly(new MessageRejected("/rooms/{room}", "fake-1", MessageKind.TEXT, 10, 11,
                1009, "text message exceeds 10 bytes"));
        assertThat(logLines).singleElement().asString()
                .startsWith(Rejections.LOG_PREFIX)
                .contains("1009", "text message exceeds 10 bytes", "/rooms/{room}");
    }

    @Test
    void ignoresTheRestOfARejectedMessageAndClosesOnlyOnce() {
        Echo echo = new Echo();
        open(echo);

        fake.text("0123456789X", false);
        fake.text("more", false);
        fake.text("end", true);
        fake.binary(new byte[100], true);

        assertThat(fake.closes).hasSize(1);
        assertThat(events).hasSize(1);
        assertThat(echo.received).isEmpty();
    }

    @Test
    void closesWith1009WhenBinaryExceedsItsOwnLimit() {
        Echo echo = new Echo();
        open(echo);

        fake.binary(new byte[8], true);
        fake.binary(new byte[5], false);
        fake.binary(new byte[4], true);

        assertThat(echo.received).containsExactly("binary 8");
        assertThat(fake.closes).singleElement().extracting(CloseReason::getReasonPhrase)
                .isEqualTo("binary message exceeds 8 bytes");
        assertThat(events).singleElement().extracting(MessageRejected::observedBytes).isEqualTo(9L);
    }

    @Test
    void countsTextInUtf8BytesNotChars() {
        Echo echo = new Echo();
        open(echo);

        fake.text("€€€€", true);

        assertThat(fake.closes).singleElement().extracting(r -> r.getCloseCode().getCode()).isEqualTo(1009);
        assertThat(echo.received).isEmpty();
    }

    @Test
    void decodesWithTheDeclaredDecoder() {
        Points points = new Points();
        open(points);

        fake.text("3,4", true);

        assertThat(points.received).containsExactly(new Point(3, 4));
    }

    @Test
    void closesWith1007WhenTheDecoderRefusesThePayload() {
        Points points = new Points();
        open(points);

        fake.text("nonsense", true);

        assertThat(points.received).isEmpty();
        assertThat(fake.closes).singleElement().satisfies(reason -> {
            assertThat(reason.getCloseCode()).isEqualTo(CloseCodes.NOT_CONSISTENT);
            assertThat(reason.getReasonPhrase()).startsWith("text message could not be decoded as Point");
        });
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.closeCode()).isEqualTo(1007);
            assertThat(event.observedBytes()).isEqualTo(8);
        });
    }

    @Test
    void passesPartsOnToAPartialMethodButCapsTheWholeMessage() {
        Parts parts = new Parts();
        open(parts);

        fake.text("abcde", false);
        fake.text("fgh", true);
        fake.text("123456", false);
        fake.text("78901", false);

        assertThat(parts.parts).containsExactly("abcde", "fgh|", "123456");
        assertThat(fake.closes).singleElement().extracting(CloseReason::getReasonPhrase)
                .isEqualTo("text message exceeds 10 bytes");
    }

    @Test
    void turnsAnExceptionWithACloseCodeFromTheEndpointIntoThatClose() {
        open(new Strict());

        fake.text("abcd", true);

        assertThat(fake.closes).singleElement().extracting(CloseReason::getReasonPhrase)
                .isEqualTo("text message exceeds 3 bytes");
    }

    @Test
    void callsOnCloseAndReleasesTheEndpoint() {
        Echo echo = new Echo();
        GuardedEndpoint endpoint = open(echo);

        endpoint.onClose(fake.session, new CloseReason(CloseCodes.TOO_BIG, "x"));

        assertThat(echo.lifecycle).containsExactly("open blue", "close 1009");
    }

    @Test
    void streamsAMessageBeyondTheWholeMessageLimitToAReaderWithinTheStreamCap() {
        open(new ReaderEndpoint(), STREAMS);

        fake.text("0123456789", false);
        fake.text("abcdefghij", true);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(fake.sent).containsExactly("read 0123456789abcdefghij"));
        assertThat(fake.closes).isEmpty();
        assertThat(stats.activeStreams()).isZero();
    }

    @Test
    void closesWith1009AtTheFirstByteOverTheStreamCapAndFailsTheReader() throws InterruptedException {
        ReaderEndpoint reader = new ReaderEndpoint();
        open(reader, STREAMS);

        fake.text("0123456789", false);
        assertThat(reader.reading.await(5, TimeUnit.SECONDS)).as("the reader has started").isTrue();
        fake.text("0123456789", false);
        fake.text("!", false);

        assertThat(fake.closes).singleElement().extracting(CloseReason::getReasonPhrase)
                .isEqualTo("text message exceeds 20 bytes");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(reader.failures).singleElement().asString().contains("text message exceeds 20 bytes");
            assertThat(stats.activeStreams()).isZero();
        });
        assertThat(fake.sent).isEmpty();
        assertThat(stats.messagesInProgress()).isZero();
    }

    @Test
    void closesWith1008WhenAMessageIsNotCompletedInTimeAndReleasesIt() {
        Echo echo = new Echo();
        open(echo, STREAMS);

        fake.text("abc", false);
        assertThat(stats.bufferedBytes()).as("3 chars reserved at 2 bytes each").isEqualTo(6);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertClosedWith(fake.closes, CloseCodes.VIOLATED_POLICY, "text message not completed within 300 ms"));
        assertThat(stats.bufferedBytes()).isZero();
        assertThat(stats.messagesInProgress()).isZero();
        assertThat(events).singleElement().extracting(MessageRejected::observedBytes).isEqualTo(3L);
        assertThat(echo.received).isEmpty();
    }

    @Test
    void cancelsTheDeadlineOfACompletedMessage() {
        Echo echo = new Echo();
        open(echo, STREAMS);

        fake.text("ab", false);
        fake.text("cd", true);

        assertThat(echo.received).containsExactly("abcd");
        assertThat(stats.messagesInProgress()).isZero();
        assertThat(runtime.scheduledTasks()).as("only the periodic session check").isEqualTo(1);
    }

    @Test
    void schedulesNoDeadlineForAMessageThatArrivesInOnePart() {
        Echo echo = new Echo();
        open(echo, STREAMS);

        fake.text("abcd", true);

        assertThat(echo.received).containsExactly("abcd");
        assertThat(runtime.scheduledTasks()).as("only the periodic session check").isEqualTo(1);
        assertThat(stats.messagesInProgress()).isZero();
    }

    @Test
    void countsOpenSessionsAndReleasesEverythingOnClose() {
        GuardedEndpoint endpoint = open(new Echo());
        fake.text("abc", false);
        assertThat(stats.openSessions()).isEqualTo(1);

        endpoint.onClose(fake.session, new CloseReason(CloseCodes.GOING_AWAY, "bye"));

        assertThat(stats.openSessions()).isZero();
        assertThat(stats.bufferedBytes()).isZero();
        assertThat(stats.messagesInProgress()).isZero();
    }

    @Test
    void closesASessionOverTheCapOfItsClientAddressWith1013BeforeTheAuthorSeesItAndAdmitsOneWhenAPlaceIsFree() {
        GuardRuntime capped = runtimes.started(new GuardRuntime(new Rejections(events::add),
                new ServerLimits(1L << 30, 4, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO, 0, 2)));
        List<FakeSession> fakes = new ArrayList<>();
        List<Echo> authors = new ArrayList<>();
        List<GuardedEndpoint> endpoints = new ArrayList<>();
        for (String address : List.of("10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1")) {
            FakeSession session = new FakeSession();
            session.userProperties.put(GuardedConfigurator.CLIENT_ADDRESS, address);
            Echo echo = new Echo();
            GuardedEndpoint endpoint = new GuardedEndpoint(EndpointModel.of(Echo.class), POLICY,
                    ManagedInstance.of(echo), capped);
            endpoint.onOpen(session.session, null);
            fakes.add(session);
            authors.add(echo);
            endpoints.add(endpoint);
        }

        assertThat(fakes.subList(0, 3)).allSatisfy(session -> assertThat(session.closes).isEmpty());
        assertClosedWith(fakes.get(3).closes, 1013, "server budget of 2 sessions per client address is spent");
        assertThat(fakes.get(3).handlers).isEmpty();
        assertThat(fakes.get(3).userProperties).doesNotContainKey(GuardedConfigurator.CLIENT_ADDRESS);
        assertThat(authors.get(3).lifecycle).isEmpty();
        endpoints.get(3).onClose(fakes.get(3).session, new CloseReason(CloseCodes.TRY_AGAIN_LATER, "full"));
        assertThat(authors.get(3).lifecycle).as("no onClose without onOpen").isEmpty();
        assertThat(capped.admission().open()).isEqualTo(3);

        endpoints.get(0).onClose(fakes.get(0).session, new CloseReason(CloseCodes.GOING_AWAY, "bye"));
        FakeSession again = new FakeSession();
        again.userProperties.put(GuardedConfigurator.CLIENT_ADDRESS, "10.0.0.1");
        GuardedEndpoint admitted = new GuardedEndpoint(EndpointModel.of(Echo.class), POLICY,
                ManagedInstance.of(new Echo()), capped);
        admitted.onOpen(again.session, null);

        assertThat(again.closes).isEmpty();
        assertThat(again.handlers).containsKey(String.class);
        admitted.onClose(again.session, new CloseReason(CloseCodes.GOING_AWAY, "bye"));
        endpoints.get(1).onClose(fakes.get(1).session, new CloseReason(CloseCodes.GOING_AWAY, "bye"));
        endpoints.get(2).onClose(fakes.get(2).session, new CloseReason(CloseCodes.GOING_AWAY, "bye"));
        assertThat(capped.admission().open()).isZero();
        assertThat(capped.admission().addresses()).isZero();
        assertThat(capped.stats().openSessions()).isZero();
    }

    @ServerEndpoint("/strict-binary")
    public static class StrictBinary {
        @OnMessage
        public void binary(byte[] bytes) {
            throw new org.sizeguard.UndecodableMessageException("binary message is not a known record", null);
        }
    }

    @Test
    void reportsABinaryMessagesKindWhenItsMethodThrowsACloseException() {
        open(new StrictBinary());

        fake.binary(new byte[] {1, 2, 3}, true);

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(MessageKind.BINARY);
            assertThat(event.closeCode()).isEqualTo(1007);
        });
        assertThat(fake.closes).singleElement().satisfies(reason ->
                assertThat(reason.getReasonPhrase()).isEqualTo("binary message is not a known record"));
    }

    /** A connection the adapter sees, whose input the test makes arrive. */
    private static final class SeenConnection implements GuardedConnection {
        volatile long lastInputNanos = System.nanoTime();
        volatile boolean aborted;

        @Override
        public void attach(SessionLimits limits, ConnectionListener listener) {
        }

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public long lastInputNanos() {
            return lastInputNanos;
        }
    }

    private static ContainerAdapter seeing(SeenConnection connection) {
        return new ContainerAdapter() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public void install(jakarta.servlet.ServletContext context) {
            }

            @Override
            public java.util.Optional<GuardedConnection> opening() {
                return java.util.Optional.of(connection);
            }
        };
    }

    /** A runtime whose adapter sees {@code connection} under every session opened. */
    private GuardRuntime runtimeSeeing(SeenConnection connection) {
        return new GuardRuntime(new Rejections(events::add), new ServerLimits(1L << 30, 4,
                ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO), GuardRuntime.daemonThreads(),
                seeing(connection));
    }

    @Test
    void keepsTheIdleTimeoutItselfWhereItSeesTheConnectionAndClosesAnIdleSessionWith1001() {
        SeenConnection connection = new SeenConnection();
        GuardRuntime seeing = runtimes.started(runtimeSeeing(connection));
        fake.maxIdleTimeout = 300;
        Echo echo = new Echo();
        open(echo, POLICY, seeing);

        assertThat(fake.maxIdleTimeout).as("the container's timer is off").isZero();
        assertThat(echo.lifecycle).containsExactly("open blue");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertClosedWith(fake.closes, 1001, "idle for more than 300 ms"));
        assertThat(events).as("an idle session is not a rejection").isEmpty();
    }

    @Test
    void letsTheAuthorChangeTheTimeoutSizeguardKeepsWithoutTouchingTheContainers() {
        SeenConnection connection = new SeenConnection();
        GuardRuntime seeing = runtimes.started(runtimeSeeing(connection));
        SessionKeeper keeper = new SessionKeeper();
        open(keeper, POLICY, seeing);

        keeper.session.setMaxIdleTimeout(400);

        assertThat(keeper.session.getMaxIdleTimeout()).isEqualTo(400);
        assertThat(fake.maxIdleTimeout).isZero();
    }

    @ServerEndpoint("/keeper")
    public static class SessionKeeper {
        volatile Session session;

        @OnOpen
        public void open(Session session) {
            this.session = session;
        }

        @OnMessage
        public void text(String text) {
        }
    }

    @Test
    void refusesAKindOfMessageItHasNoMethodForWith1003AtItsFirstPart() {
        Points points = new Points();
        open(points);

        fake.binary(new byte[3], false);
        fake.binary(new byte[3], true);

        assertThat(fake.handlers).containsOnlyKeys(String.class, ByteBuffer.class);
        assertClosedWith(fake.closes, 1003, "this endpoint takes no binary messages");
        assertThat(events).singleElement().extracting(MessageRejected::closeCode).isEqualTo(1003);
        assertThat(points.received).isEmpty();
    }

    private GuardRuntime runtimeWith(long maxBufferedBytes, int maxConcurrentStreams) {
        return new GuardRuntime(new Rejections(events::add), new ServerLimits(maxBufferedBytes, maxConcurrentStreams,
                ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO));
    }

    @Test
    void closesWith1013WhenKeepingAPartWouldExceedTheServerWideBudgetAndReleasesWhatItHeld() {
        GuardRuntime small = runtimes.started(runtimeWith(6, 4));
        Echo echo = new Echo();
        open(echo, STREAMS, small);

        fake.text("ab", false);
        assertThat(small.stats().bufferedBytes()).isEqualTo(4);
        fake.text("cd", false);

        assertClosedWith(fake.closes, 1013, "server budget of 6 buffered bytes is spent");
        assertThat(events).singleElement().extracting(MessageRejected::observedBytes).isEqualTo(4L);
        assertThat(small.stats().bufferedBytes()).isZero();
        assertThat(small.stats().messagesInProgress()).isZero();
        assertThat(echo.received).isEmpty();
    }

    @Test
    void closesAStreamThatFindsNoReaderSlotWith1013AtOnceAndSetsNothingUp() {
        GuardRuntime noSlots = runtimes.started(runtimeWith(1 << 20, 0));
        ReaderEndpoint reader = new ReaderEndpoint();
        open(reader, STREAMS, noSlots);

        fake.text("ab", false);

        assertClosedWith(fake.closes, 1013, "server budget of 0 concurrent stream readers is spent");
        assertThat(noSlots.stats().activeStreams()).isZero();
        assertThat(noSlots.stats().messagesInProgress()).isZero();
        assertThat(noSlots.stats().bufferedBytes()).isZero();
        assertThat(reader.failures).isEmpty();
    }

    @Test
    void aClientThatLeavesMidStreamIsNotARejectionAndFreesItsSlot() throws InterruptedException {
        ReaderEndpoint reader = new ReaderEndpoint();
        GuardedEndpoint endpoint = open(reader, STREAMS);
        fake.text("ab", false);
        assertThat(reader.reading.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        endpoint.onClose(fake.session, new CloseReason(CloseCodes.CLOSED_ABNORMALLY, "gone"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stats.activeStreams()).isZero());
        assertThat(reader.failures).singleElement().isInstanceOf(IOException.class);
        assertThat(events).isEmpty();
        assertThat(stats.rejections()).isEmpty();
        assertThat(fake.closes).isEmpty();
        assertThat(stats.bufferedBytes()).isZero();
        assertThat(stats.openSessions()).isZero();
    }

    @Test
    void repliesWithoutWaitingForTheClientAndClosesWith1008WhenItsQueueIsFull() {
        GuardRuntime tight = runtimes.started(new GuardRuntime(new Rejections(events::add),
                new ServerLimits(1 << 20, 4, 14, Duration.ZERO)));
        Echo echo = new Echo();
        open(echo, POLICY, tight);
        fake.holdSends = true;

        fake.text("a", true);
        fake.text("bb", true);

        assertThat(fake.sent).containsExactly("blue:a");
        // The close of a client that does not read is made on a thread of its own: it may block.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertClosedWith(fake.closes, 1008, "outbound queue exceeds 14 bytes: the client is not reading"));
        assertThat(tight.stats().failedSends()).isEqualTo(1);
    }

    @ServerEndpoint("/announce")
    public static class Announcer {
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final List<Session> sessions = new CopyOnWriteArrayList<>();

        @OnMessage
        public void announce(String text, Session session) {
            sessions.add(session);
            try {
                session.getBasicRemote().sendText("announced " + text);
            } catch (IOException failed) {
                failures.add(failed);
            }
        }
    }

    @Test
    void anEndpointsOwnBlockingSendIsBoundedByTheSessionsQueueAndFailsVisibly() {
        GuardRuntime tight = runtimes.started(new GuardRuntime(new Rejections(events::add),
                new ServerLimits(1 << 20, 4, 40, Duration.ZERO)));
        Announcer announcer = new Announcer();
        open(announcer, POLICY, tight);
        fake.holdSends = true;
        java.util.concurrent.CompletableFuture<Void> first = java.util.concurrent.CompletableFuture.runAsync(
                () -> fake.text("a", true));
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.sent.size() == 1);

        fake.text("bb", true);

        assertThat(announcer.failures).singleElement().satisfies(failure -> {
            assertThat(failure).isInstanceOf(IOException.class);
            assertThat(failure.getCause()).isInstanceOf(org.sizeguard.SendBacklogException.class);
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.closes).singleElement()
                .satisfies(reason -> assertThat(reason.getCloseCode().getCode()).isEqualTo(1008)));
        fake.heldSends.get(0).onResult(new jakarta.websocket.SendResult());
        assertThat(first).succeedsWithin(Duration.ofSeconds(5));
        assertThat(announcer.sessions).allSatisfy(session -> {
            assertThat(session).isNotSameAs(fake.session);
            assertThat(session.getId()).isEqualTo(fake.session.getId());
        });
    }

    @Test
    void readsAStreamedMessageThatArrivesWholeWithoutTakingAStreamSlot() {
        GuardRuntime noSlots = runtimes.started(runtimeWith(1 << 20, 0));
        ReaderEndpoint reader = new ReaderEndpoint();
        open(reader, STREAMS, noSlots);

        fake.text("abc", true);

        assertThat(fake.sent).containsExactly("read abc");
        assertThat(fake.closes).isEmpty();
        assertThat(noSlots.stats().activeStreams()).isZero();
    }

    @Test
    void releasesARejectedSessionItselfWhenTheContainerNeverReportsItClosed() {
        GuardRuntime quick = runtimes.started(new GuardRuntime(new Rejections(events::add),
                new ServerLimits(1 << 20, 4, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO),
                GuardRuntime.daemonThreads(), 200));
        Echo echo = new Echo();
        open(echo, POLICY, quick);
        fake.text("x".repeat(11), true);
        assertThat(fake.closes).singleElement().satisfies(reason ->
                assertThat(reason.getCloseCode().getCode()).isEqualTo(1009));
        assertThat(quick.stats().openSessions()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(quick.stats().openSessions()).isZero());
        assertThat(echo.lifecycle).as("the author hears of the end").contains("close 1006");
    }

    @Test
    void releasesASessionTheContainerClosedWithoutCallingOnClose() {
        GuardRuntime quick = runtimes.started(new GuardRuntime(new Rejections(events::add),
                new ServerLimits(1 << 20, 4, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO)));
        Echo echo = new Echo();
        open(echo, POLICY, quick);
        fake.text("ab", false);

        fake.open = false;

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(quick.stats().openSessions()).isZero();
            assertThat(quick.stats().bufferedBytes()).isZero();
            assertThat(quick.stats().messagesInProgress()).isZero();
        });
        assertThat(echo.lifecycle).contains("close 1006");
        assertThat(events).isEmpty();
    }

    @Test
    void releasesASessionWhoseSendFailedWhenTheContainerNeverReportsItClosed() {
        GuardRuntime quick = runtimes.started(new GuardRuntime(new Rejections(events::add),
                new ServerLimits(1 << 20, 4, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES, Duration.ZERO),
                GuardRuntime.daemonThreads(), 200));
        Echo echo = new Echo();
        open(echo, POLICY, quick);
        fake.holdSends = true;
        fake.text("a", true);

        fake.heldSends.get(0).onResult(new jakarta.websocket.SendResult(new IOException("Connection reset")));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(quick.stats().openSessions()).isZero());
        assertThat(quick.stats().failedSends()).isEqualTo(1);
        assertThat(events).as("a client that went away is not a rejection").isEmpty();
    }
}
