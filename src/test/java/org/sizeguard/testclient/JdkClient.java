package org.sizeguard.testclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code java.net.http.WebSocket} as a test client: it sends text in 16 KiB frames and binary as one
 * frame. Received messages are joined and queued; the server's close arrives as {@link #closed()}.
 */
public final class JdkClient implements AutoCloseable {

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<RawWebSocketClient.Close> closed = new CompletableFuture<>();
    private final WebSocket webSocket;

    private JdkClient(URI uri) {
        this.webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener())
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    public static JdkClient connect(URI uri) {
        return new JdkClient(uri);
    }

    public void sendText(String text) {
        webSocket.sendText(text, true).orTimeout(60, TimeUnit.SECONDS).join();
    }

    /** Sends one binary frame; completes when the JDK has written it, or fails when the server closed first. */
    public CompletableFuture<WebSocket> sendBinary(byte[] bytes) {
        return webSocket.sendBinary(ByteBuffer.wrap(bytes), true).toCompletableFuture();
    }

    /** The next whole message: a {@code String} or a {@code byte[]}, or {@code null} after {@code timeout}. */
    public Object nextMessage(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes with the server's close code and reason. */
    public CompletableFuture<RawWebSocketClient.Close> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!webSocket.isOutputClosed()) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(alreadyClosed -> null).join();
        }
        webSocket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(new RawWebSocketClient.Close(statusCode, reason,
                    reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
