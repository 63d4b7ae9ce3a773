package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.SendResult;

import org.junit.jupiter.api.Test;
import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.SendBacklogException;
import org.sizeguard.SizeguardCloseException;

class OutboundTest {

    private final FakeSession fake = new FakeSession();
    private final MemoryBudget budget = new MemoryBudget(10_000);
    private final LiveStats stats = new LiveStats(budget::reserved, budget.limit(), () -> 0, 0);
    private final List<SizeguardCloseException> ended = new CopyOnWriteArrayList<>();

    private Outbound outbound(long maxBytes, Duration timeout) {
        return new Outbound(fake.session.getAsyncRemote(), maxBytes, timeout, budget, stats, ended::add);
    }

    private static Throwable failure(CompletableFuture<Void> send) throws InterruptedException {
        try {
            send.get(5, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the send neither completed nor failed", e);
        }
    }

    @Test
    void sendsInOrderOneAtATimeAndReleasesWhatEachHeld() throws InterruptedException {
        fake.holdSends = true;
        Outbound outbound = outbound(1000, Duration.ZERO);

        CompletableFuture<Void> first = outbound.send("ab");
        CompletableFuture<Void> second = outbound.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(fake.sent).containsExactly("ab");
        assertThat(budget.reserved()).isEqualTo(4 + 3);
        assertThat(stats.queuedSends()).isEqualTo(2);

        fake.heldSends.get(0).onResult(new SendResult());
        assertThat(failure(first)).isNull();
        assertThat(fake.sent).hasSize(2);
        fake.heldSends.get(1).onResult(new SendResult());

        assertThat(failure(second)).isNull();
        assertThat(budget.reserved()).isZero();
        assertThat(stats.queuedSends()).isZero();
        assertThat(ended).isEmpty();
    }

    @Test
    void endsTheSessionWith1008AndFailsTheSendThatWouldOverflowTheSessionsQueue() throws InterruptedException {
        fake.holdSends = true;
        Outbound outbound = outbound(10, Duration.ZERO);
        outbound.send("abcd");

        Throwable refused = failure(outbound.send("xyz"));

        assertThat(refused).isInstanceOfSatisfying(SendBacklogException.class, e -> {
            assertThat(e.closeCode().getCode()).isEqualTo(1008);
            assertThat(e.getMessage()).isEqualTo("outbound queue exceeds 10 bytes: the client is not reading");
        });
        assertThat(ended).containsExactly((SizeguardCloseException) refused);
        assertThat(stats.failedSends()).isEqualTo(1);
    }

    @Test
    void endsTheSessionWith1008WhenTooManyObjectsAreQueuedThoughTheirSizeIsUnknown() throws InterruptedException {
        fake.holdSends = true;
        Outbound outbound = outbound(1000, Duration.ZERO);
        Object event = new Object();
        for (int i = 0; i <= Outbound.MAX_QUEUED_MESSAGES; i++) {
            outbound.send(event);
        }
        assertThat(ended).isEmpty();

        Throwable refused = failure(outbound.send(event));

        assertThat(refused).isInstanceOf(SendBacklogException.class)
                .hasMessage("outbound queue exceeds 1024 messages: the client is not reading");
        assertThat(ended).containsExactly((SizeguardCloseException) refused);
    }

    @Test
    void endsTheSessionWith1013WhenTheServerWideBudgetIsSpent() throws InterruptedException {
        fake.holdSends = true;
        budget.reserve(9_999);
        Outbound outbound = outbound(1000, Duration.ZERO);

        assertThat(failure(outbound.send("ab"))).isInstanceOf(BudgetExhaustedException.class);
        assertThat(ended).singleElement().isInstanceOf(BudgetExhaustedException.class);
        assertThat(budget.reserved()).isEqualTo(9_999);
    }

    @Test
    void endsTheSessionWhenASendIsPendingLongerThanTheTimeoutButNotBefore() {
        fake.holdSends = true;
        Outbound outbound = outbound(1000, Duration.ofSeconds(2));
        long start = System.nanoTime();
        outbound.send("late");

        outbound.checkTimeout(start + Duration.ofMillis(1999).toNanos());
        assertThat(ended).isEmpty();
        outbound.checkTimeout(start + Duration.ofSeconds(3).toNanos());

        assertThat(ended).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("send not completed within 2000 ms: the client is not reading");
    }

    @Test
    void failsEverySendNotYetWrittenWhenTheSessionClosesAndReleasesTheirBytes() throws InterruptedException {
        fake.holdSends = true;
        Outbound outbound = outbound(1000, Duration.ZERO);
        CompletableFuture<Void> inFlight = outbound.send("one");
        CompletableFuture<Void> queued = outbound.send("two");

        outbound.close();

        assertThat(failure(inFlight)).isInstanceOf(IOException.class);
        assertThat(failure(queued)).isInstanceOf(IOException.class);
        assertThat(budget.reserved()).isZero();
        assertThat(stats.queuedSends()).isZero();
        assertThat(failure(outbound.send("after"))).isInstanceOf(IOException.class);
        assertThat(ended).isEmpty();
    }

    @Test
    void copiesABufferSoTheContainerMayReuseTheOneItDelivered() throws InterruptedException {
        ByteBuffer delivered = ByteBuffer.wrap(new byte[] {7, 8, 9});
        fake.holdSends = true;
        Outbound outbound = outbound(1000, Duration.ZERO);
        outbound.send("first");
        CompletableFuture<Void> queued = outbound.send(delivered);

        // The container reuses its buffer after the handler returned, while the reply still waits in the queue.
        delivered.put(0, (byte) 0);
        fake.heldSends.get(0).onResult(new SendResult());
        fake.heldSends.get(1).onResult(new SendResult());

        assertThat(failure(queued)).isNull();
        assertThat((byte[]) fake.sent.get(1)).containsExactly(7, 8, 9);
    }
}
