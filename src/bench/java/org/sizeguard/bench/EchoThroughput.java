package org.sizeguard.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.sizeguard.testclient.RawWebSocketClient.Message;
import org.sizeguard.testclient.RawWebSocketClient;

/**
 * (b) Small-message echo throughput: {@link #CLIENTS} connections to one endpoint, each doing round trips of a
 * 100-byte text message one after the other (send, wait for the echo), all at once. A round is {@link #roundTrips()}
 * round trips per connection; its rate is all messages of the round over the time from the common start to the last
 * echo. Connections stay open from round to round.
 */
final class EchoThroughput implements AutoCloseable {

    static final int CLIENTS = 8;
    static final String MESSAGE = "0123456789".repeat(10);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final URI uri;
    private final List<RawWebSocketClient> clients = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS, task -> {
        Thread thread = new Thread(task, "bench-echo");
        thread.setDaemon(true);
        return thread;
    });
    private int rounds;

    private EchoThroughput(URI uri) {
        this.uri = uri;
    }

    static int roundTrips() {
        return Integer.getInteger("bench.echo.roundTrips", 2000);
    }

    /** Opens {@link #CLIENTS} connections to {@code uri}. */
    static EchoThroughput open(URI uri) throws Exception {
        EchoThroughput echo = new EchoThroughput(uri);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                echo.clients.add(RawWebSocketClient.connect(uri, true));
            }
        } catch (Exception e) {
            echo.close();
            throw e;
        }
        return echo;
    }

    /** Opens the connections, runs {@code warmUp} rounds unrecorded, then returns the rate of each of {@code rounds}. */
    static List<Double> measure(URI uri, int warmUp, int rounds) throws Exception {
        try (EchoThroughput echo = open(uri)) {
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round < warmUp + rounds; round++) {
                double rate = echo.round(round < warmUp);
                if (round >= warmUp) {
                    rates.add(rate);
                }
            }
            return rates;
        }
    }

    /**
     * Runs {@code warmUp} rounds of each series unrecorded, then {@code rounds} rounds of each, alternating: forward
     * in even rounds, backward in odd ones (A B C, C B A, …), so that a change of load hits every series alike. The
     * rate of each round goes to the sink of its series.
     */
    static void alternate(List<EchoThroughput> series, List<List<Double>> sinks, int warmUp, int rounds)
            throws Exception {
        for (int i = 0; i < warmUp; i++) {
            for (EchoThroughput echo : series) {
                echo.round(true);
            }
        }
        for (int i = 0; i < rounds; i++) {
            for (int j = 0; j < series.size(); j++) {
                int k = i % 2 == 0 ? j : series.size() - 1 - j;
                sinks.get(k).add(series.get(k).round(false));
            }
        }
    }

    /** One round: msgs/s. */
    double round(boolean warmUp) throws Exception {
        int perClient = roundTrips();
        CyclicBarrier start = new CyclicBarrier(clients.size() + 1);
        List<Future<?>> done = new ArrayList<>();
        for (RawWebSocketClient client : clients) {
            done.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                for (int i = 0; i < perClient; i++) {
                    client.sendText(MESSAGE);
                    Message reply = client.nextMessage(REPLY_TIMEOUT);
                    if (reply == null || !MESSAGE.equals(reply.text())) {
                        throw new IllegalStateException("echo " + i + ": " + (reply == null
                                ? "no reply within " + REPLY_TIMEOUT.toSeconds() + " s" : "wrong reply " + reply.text()));
                    }
                }
                return null;
            }));
        }
        start.await(30, TimeUnit.SECONDS);
        long began = System.nanoTime();
        for (Future<?> client : done) {
            client.get(5, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        double rate = clients.size() * (double) perClient / seconds;
        rounds++;
        System.out.printf(Locale.ROOT, "[bench] echo %s %s round %d: %.0f msgs/s%n", uri.getPath(),
                warmUp ? "warm-up" : "measured", rounds, rate);
        return rate;
    }

    @Override
    public void close() throws Exception {
        threads.shutdownNow();
        for (RawWebSocketClient client : clients) {
            client.close();
        }
    }
}
