package org.sizeguard.testclient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, for tests of dropped connections: it forwards every connection,
 * and cuts (resets) the first one once the client has sent {@code cutAfter} bytes through it, as a network that
 * fails mid-transfer does. Later connections pass untouched. Its threads are daemons and end with {@link #close()}.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long cutAfter;
    private final AtomicLong connections = new AtomicLong();
    private final CountDownLatch cut = new CountDownLatch(1);

    private CuttingProxy(InetSocketAddress target, long cutAfter) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.target = target;
        this.cutAfter = cutAfter;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code server}'s host and port that cuts its first connection after {@code cutAfter} bytes. */
    public static CuttingProxy to(URI server, long cutAfter) throws IOException {
        return new CuttingProxy(new InetSocketAddress(server.getHost(), server.getPort()), cutAfter);
    }

    /** {@code uri} with its host and port replaced by the proxy's. */
    public URI through(URI uri) {
        return URI.create(uri.getScheme() + "://127.0.0.1:" + listener.getLocalPort() + uri.getRawPath());
    }

    /** Whether the first connection has been cut. */
    public boolean hasCut() {
        return cut.getCount() == 0;
    }

    /** How many connections came through. */
    public long connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 10_000);
                boolean first = connections.incrementAndGet() == 1;
                pump(client, server, first ? cutAfter : Long.MAX_VALUE, "proxy-up");
                pump(server, client, Long.MAX_VALUE, "proxy-down");
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long limit, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            long passed = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    int allowed = (int) Math.min(n, limit - passed);
                    out.write(buffer, 0, allowed);
                    passed += allowed;
                    if (passed >= limit) {
                        reset(from);
                        reset(to);
                        cut.countDown();
                        return;
                    }
                }
            } catch (IOException ended) {
                // One side closed or was cut: close the other too.
            }
            closeQuietly(from);
            closeQuietly(to);
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException alreadyClosed) {
            // Nothing to reset.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyClosed) {
            // Closed already.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
