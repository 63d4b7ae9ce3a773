package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.adapter.tyrus.FrameRelayTest.clientFrame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.WebConnection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.deflate.DeflaterPool;
import org.sizeguard.testclient.DeflatedMessages;
import org.sizeguard.internal.adapter.SessionLimits;

/** The connection Tyrus reads through: input relayed, the lingering close, the end of the connection reported. */
class RelayedConnectionTest {

    private static final MessageSizePolicy POLICY = new MessageSizePolicy("test", 1000, 1000);
    private static final SessionLimits LIMITS = new SessionLimits(POLICY.maxTextBytes(), POLICY.maxBinaryBytes());

    private final FakeConnection underlying = new FakeConnection();
    private final FrameRelay relay = new FrameRelay();
    private final ScheduledExecutorService lingerTimer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final RelayedConnection connection = new RelayedConnection(underlying, relay, lingerTimer, null);

    {
        relay.attach(LIMITS, new ConnectionListener() {
            @Override
            public void messageStarted(MessageKind kind) {
                events.add("started " + kind);
            }

            @Override
            public void refused(SizeguardCloseException refusal) {
                events.add("refused " + refusal.closeCode().getCode());
            }

            @Override
            public void connectionEnded() {
                events.add("ended");
            }
        });
    }

    @AfterEach
    void stopTimer() {
        lingerTimer.shutdownNow();
    }

    /** Reads what the relayed input offers now, as Tyrus does while it is ready. */
    private byte[] readAvailable() throws IOException {
        ServletInputStream in = connection.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (in.isReady()) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                break;
            }
            read.write(buffer, 0, n);
        }
        return read.toByteArray();
    }

    private static byte[] closeFrame() {
        return clientFrame(true, 0x8, ByteBuffer.allocate(2).putShort((short) 1000).array());
    }

    @Test
    void passesTheClientsFramesOnAsFramesOfTheSamePayload() throws IOException {
        underlying.arrive(clientFrame(true, 0x1, "hello".getBytes(StandardCharsets.UTF_8)));

        List<FrameRelayTest.Frame> frames = FrameRelayTest.parse(readAvailable());

        assertThat(frames).singleElement().satisfies(frame -> {
            assertThat(frame.opcode()).isEqualTo(0x1);
            assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
        });
        assertThat(events).isEmpty();
    }

    @Test
    void closesAtOnceWhenTheClientsCloseFrameHasPassed() throws Exception {
        underlying.arrive(closeFrame());
        readAvailable();

        connection.close();

        assertThat(underlying.closed.getCount()).isZero();
        assertThat(events).containsExactly("ended");
    }

    @Test
    void waitsForTheClientsCloseFrameBeforeClosingAndClosesWhenItHasBeenRead() throws Exception {
        connection.close();
        assertThat(underlying.closed.getCount()).as("closed before the client's close frame").isOne();

        underlying.arrive(closeFrame());
        readAvailable();

        assertThat(underlying.closed.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("ended");
    }

    @Test
    void closesAfterTheLingerWhenTheClientsCloseFrameNeverComes() throws Exception {
        connection.close();

        assertThat(underlying.closed.await(RelayedConnection.LINGER_MILLIS + 5000, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(events).containsExactly("ended");
    }

    @Test
    void closesAtOnceWhenTheApplicationHasStoppedItsLingerTimer() throws Exception {
        lingerTimer.shutdownNow();

        connection.close();

        assertThat(underlying.closed.getCount()).isZero();
    }

    @Test
    void reportsTheEndOfTheInputOnceAndAnAbortClosesTheConnection() throws Exception {
        underlying.arrive(clientFrame(false, 0x2, new byte[10]));
        readAvailable();
        underlying.end();
        readAvailable();
        readAvailable();
        assertThat(events).containsExactly("started BINARY", "ended");

        connection.abort();

        assertThat(underlying.closed.getCount()).isZero();
        assertThat(events).containsExactly("started BINARY", "ended");
    }

    @Test
    void staysReadyWhileTheRelayHoldsInflatedOutputBackAndPassesItOnReadByRead() throws IOException {
        MemoryBudget budget = new MemoryBudget(1 << 30);
        FrameRelay inflating = new FrameRelay(true, budget);
        RelayedConnection deflated = new RelayedConnection(underlying, inflating, lingerTimer, new DeflaterPool(1));
        inflating.attach(new SessionLimits(1 << 20, 1 << 20), new ConnectionListener() {
            @Override
            public void messageStarted(MessageKind kind) {
            }

            @Override
            public void refused(SizeguardCloseException refusal) {
                events.add("refused " + refusal.closeCode().getCode());
            }
        });
        byte[] message = "compressible ".repeat(50_000).getBytes(StandardCharsets.US_ASCII);
        underlying.arrive(clientFrame(true, 0x1, DeflatedMessages.compressed(message, 6), DeflatedMessages.RSV1));
        ServletInputStream in = deflated.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[FrameRelay.MAX_FRAGMENT_PAYLOAD + 14];
        int reads = 0;

        while (in.isReady()) {
            reads++;
            read.write(buffer, 0, in.read(buffer, 0, buffer.length));
        }

        assertThat(reads).isGreaterThan(message.length / FrameRelay.MAX_FRAGMENT_PAYLOAD);
        assertThat(FrameRelayTest.joined(FrameRelayTest.parse(read.toByteArray()))).isEqualTo(message);
        assertThat(events).isEmpty();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void compressesTheRepliesOfAConnectionThatNegotiatedPermessageDeflate() throws Exception {
        FrameRelay inflating = new FrameRelay(true, new MemoryBudget(1 << 30));
        RelayedConnection deflated = new RelayedConnection(underlying, inflating, lingerTimer, new DeflaterPool(1));
        inflating.attach(LIMITS, Refusals.into(new ArrayList<>()));
        byte[] reply = "reply ".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        FrameHeader.writeUnmasked(true, 0, 0x1, reply.length, frame);
        frame.writeBytes(reply);

        deflated.getOutputStream().write(frame.toByteArray());

        byte[] wire = underlying.written.toByteArray();
        assertThat(wire[0] & 0xFF).as("FIN, RSV1, text").isEqualTo(0xC1);
        assertThat(wire.length).isLessThan(reply.length / 10);
        assertThat(DeflatedMessages.inflated(Arrays.copyOfRange(wire, 2, wire.length))).isEqualTo(reply);
        deflated.close();
    }

    /** A connection whose input is what the test makes arrive, read without blocking. */
    private static final class FakeConnection implements WebConnection {
        private final ArrayDeque<byte[]> arrived = new ArrayDeque<>();
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;
        final CountDownLatch closed = new CountDownLatch(1);
        final ByteArrayOutputStream written = new ByteArrayOutputStream();

        void arrive(byte[] bytes) {
            arrived.add(bytes);
        }

        void end() {
            ended = true;
        }

        private boolean hasBytes() {
            if (position < current.length) {
                return true;
            }
            if (!arrived.isEmpty()) {
                current = arrived.poll();
                position = 0;
                return current.length > 0;
            }
            return false;
        }

        private final ServletInputStream in = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return ended && !hasBytes();
            }

            @Override
            public boolean isReady() {
                return hasBytes() || ended;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int available() {
                return hasBytes() ? current.length - position : 0;
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] bytes, int offset, int length) {
                if (!hasBytes()) {
                    return ended ? -1 : 0;
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, bytes, offset, n);
                position += n;
                return n;
            }
        };

        @Override
        public ServletInputStream getInputStream() {
            return in;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void write(int b) {
                    written.write(b);
                }
            };
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
