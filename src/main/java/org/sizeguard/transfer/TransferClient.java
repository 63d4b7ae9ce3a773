package org.sizeguard.transfer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

import org.sizeguard.TransferLimits;

/**
 * Sends payloads to a Sizeguard endpoint that takes chunked transfers ({@code docs/transfer-protocol.md}), on
 * {@code java.net.http.WebSocket} and nothing else: a file, a stream or an array, read once and in order, hashed as
 * it is read, with at most the credit window of chunks in memory (kept until the server acknowledges them, so that
 * a resume can send them again). A dropped connection is resumed by itself, up to {@link Options#maxResumes()} times
 * with a doubling back-off; refusals the protocol documents (1007, 1008, 1009, 1013) end the transfer at once.
 * <p>
 * Each {@code send} runs on a thread of its own and returns at once; cancelling the returned future (with
 * {@code cancel(true)}) sends the protocol's {@code cancel} and closes the connection. Thread-safe.
 *
 * <pre>{@code
 * TransferReceipt receipt = TransferClient.create()
 *         .send(URI.create("ws://127.0.0.1:8080/sizeguard/transfer"), Path.of("video.mp4"),
 *               TransferClient.Options.named("video.mp4").onProgress(bytes -> System.out.println(bytes)))
 *         .get();
 * }</pre>
 */
public final class TransferClient {

    /** How long the client waits for any answer of the server before it gives the connection up. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private static final int HEADER_BYTES = TransferLimits.CHUNK_HEADER_BYTES;

    /** How long a cancelled send waits for the server to confirm the cancellation. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final HttpClient http;

    private TransferClient(HttpClient http) {
        this.http = http;
    }

    /** A client on a new {@link HttpClient}. */
    public static TransferClient create() {
        return new TransferClient(HttpClient.newHttpClient());
    }

    /** A client on {@code http}. */
    public static TransferClient using(HttpClient http) {
        return new TransferClient(Objects.requireNonNull(http));
    }

    /**
     * What to send with a transfer, and how to follow it.
     *
     * @param name        the file name in the transfer's metadata, or {@code null}
     * @param contentType the content type in the metadata, or {@code null}
     * @param progress    told the bytes the server has stored, after each acknowledgement (on the send's thread)
     * @param maxResumes  how many times a dropped connection is resumed before the transfer fails
     * @param backOff     the wait before the first resume, doubled before each further one
     */
    public record Options(String name, String contentType, LongConsumer progress, int maxResumes, Duration backOff) {

        /** No metadata, no progress listener, 5 resumes starting after 250 ms. */
        public static Options defaults() {
            return new Options(null, null, bytes -> { }, 5, Duration.ofMillis(250));
        }

        /** The defaults with file name {@code name}. */
        public static Options named(String name) {
            return defaults().withName(name);
        }

        public Options withName(String fileName) {
            return new Options(fileName, contentType, progress, maxResumes, backOff);
        }

        public Options withContentType(String type) {
            return new Options(name, type, progress, maxResumes, backOff);
        }

        public Options onProgress(LongConsumer listener) {
            return new Options(name, contentType, listener, maxResumes, backOff);
        }

        public Options withResumes(int resumes, Duration firstBackOff) {
            return new Options(name, contentType, progress, resumes, firstBackOff);
        }
    }

    /** Sends the file at {@code file}. */
    public CompletableFuture<TransferReceipt> send(URI endpoint, Path file, Options options) {
        return start(endpoint, () -> Files.newInputStream(file), sizeOf(file), options);
    }

    /** Sends {@code data}. */
    public CompletableFuture<TransferReceipt> send(URI endpoint, byte[] data, Options options) {
        return start(endpoint, () -> new ByteArrayInputStream(data), data.length, options);
    }

    /** Sends the next {@code size} bytes of {@code data}, which the client reads once and does not close. */
    public CompletableFuture<TransferReceipt> send(URI endpoint, InputStream data, long size, Options options) {
        return start(endpoint, () -> data, size, options);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    @FunctionalInterface
    private interface Source {
        InputStream open() throws IOException;
    }

    private CompletableFuture<TransferReceipt> start(URI endpoint, Source source, long size, Options options) {
        Sending sending = new Sending(endpoint, source, size, options);
        Thread thread = new Thread(sending::run, "sizeguard-transfer-client");
        thread.setDaemon(true);
        sending.result.whenComplete((receipt, failure) -> {
            if (sending.result.isCancelled()) {
                thread.interrupt();
            }
        });
        thread.start();
        return sending.result;
    }

    /** What the server said, in the order it said it. */
    private sealed interface Event {
    }

    private record Text(Map<String, Object> message) implements Event {
        String type() {
            return message.get("type") instanceof String type ? type : "";
        }

        String string(String name) throws TransferFailedException {
            if (message.get(name) instanceof String value) {
                return value;
            }
            throw new TransferFailedException(1002, "the server's message has no \"" + name + "\"", null);
        }

        long number(String name) throws TransferFailedException {
            if (message.get(name) instanceof Long value) {
                return value;
            }
            throw new TransferFailedException(1002, "the server's message has no \"" + name + "\"", null);
        }
    }

    private record Closed(int code, String reason) implements Event {
    }

    private record Broken(Throwable failure) implements Event {
    }

    /** A chunk sent and not yet acknowledged. */
    /**
     * A chunk as it goes on the wire: {@code message} holds the 13-byte header and the data after it, read there
     * directly, so that sending it copies nothing; the header's channel is written at each send (a resume may
     * give the transfer another).
     */
    private record Chunk(long offset, byte[] message) {
        int length() {
            return message.length - HEADER_BYTES;
        }

        ByteBuffer onChannel(int channel) {
            return ByteBuffer.wrap(message).put(0, (byte) 1).putInt(1, channel).putLong(5, offset);
        }
    }

    /** One transfer, on its own thread. */
    private final class Sending {
        private final URI endpoint;
        private final Source source;
        private final long size;
        private final Options options;
        private final CompletableFuture<TransferReceipt> result = new CompletableFuture<>();
        private final MessageDigest digest = sha256();
        private final Deque<Chunk> unacknowledged = new ArrayDeque<>();
        private InputStream input;
        /** Bytes read from the source (and hashed). */
        private long read;
        private long acknowledged;
        private String id;
        private String token;

        Sending(URI endpoint, Source source, long size, Options options) {
            this.endpoint = endpoint;
            this.source = source;
            this.size = size;
            this.options = options;
        }

        void run() {
            try {
                if (size < 0) {
                    throw new IOException("the payload's size is not known");
                }
                input = source.open();
                result.complete(sendWithResumes());
            } catch (InterruptedException cancelled) {
                result.cancel(true);
            } catch (Throwable failed) {
                result.completeExceptionally(failed);
            }
        }

        private TransferReceipt sendWithResumes() throws Exception {
            Duration backOff = options.backOff();
            for (int resumes = 0; ; resumes++) {
                try {
                    return sendOnce();
                } catch (TransferFailedException failed) {
                    if (!resumable(failed.closeCode()) || id == null || token == null
                            || resumes >= options.maxResumes()) {
                        throw failed;
                    }
                }
                Thread.sleep(backOff.toMillis());
                backOff = backOff.multipliedBy(2);
            }
        }

        /** Codes after which the same transfer may be sent on: the connection broke, not a rule. */
        private boolean resumable(int code) {
            return code == 1006 || code == 1001 || code == 1011 || code == 1012;
        }

        /** One connection: start or resume, chunks within the window, end, receipt. */
        private TransferReceipt sendOnce() throws Exception {
            BlockingQueue<Event> events = new LinkedBlockingQueue<>();
            WebSocket socket;
            try {
                socket = http.newWebSocketBuilder().subprotocols(OnTransfer.SUBPROTOCOL)
                        .connectTimeout(ANSWER_TIMEOUT).buildAsync(endpoint, new Listener(events))
                        .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException unreachable) {
                throw new TransferFailedException(1006, "cannot connect to " + endpoint, unreachable);
            }
            try {
                return exchange(socket, events);
            } catch (InterruptedException cancelled) {
                cancelOnServer(socket, events);
                throw cancelled;
            } finally {
                socket.abort();
            }
        }

        private TransferReceipt exchange(WebSocket socket, BlockingQueue<Event> events) throws Exception {
            if (id == null) {
                Map<String, Object> start = new LinkedHashMap<>();
                start.put("type", "start");
                start.put("size", size);
                if (options.name() != null) {
                    start.put("name", options.name());
                }
                if (options.contentType() != null) {
                    start.put("contentType", options.contentType());
                }
                sendText(socket, start);
            } else {
                sendText(socket, Map.of("type", "resume", "id", id, "token", token));
            }
            Text accepted = await(events, "accepted");
            if (id == null) {
                id = accepted.string("id");
                token = accepted.string("token");
            }
            int channel = (int) accepted.number("channel");
            long chunkSize = accepted.number("chunkSize");
            long window = accepted.number("window");
            long offset = accepted.number("offset");
            acknowledge(offset);
            // Resend what the server did not store, from the chunks kept for that, then read on.
            for (Chunk chunk : unacknowledged.toArray(Chunk[]::new)) {
                if (chunk.offset() >= offset) {
                    waitForCredit(events, chunk.offset() + chunk.length(), window, chunkSize);
                    sendChunk(socket, channel, chunk);
                }
            }
            while (read < size) {
                int length = (int) Math.min(chunkSize, size - read);
                waitForCredit(events, read + length, window, chunkSize);
                Chunk chunk = readChunk(length);
                unacknowledged.addLast(chunk);
                sendChunk(socket, channel, chunk);
            }
            while (acknowledged < size) {
                handle(events, poll(events));
            }
            sendText(socket, Map.of("type", "end", "id", id, "sha256", HexFormat.of().formatHex(digest.digest())));
            while (true) {
                Event event = poll(events);
                if (event instanceof Text text && !text.message().containsKey("type")) {
                    return new TransferReceipt(text.string("id"), text.number("bytes"), text.string("sha256"));
                }
                handle(events, event);
            }
        }

        /**
         * Asks the server to delete the transfer, and waits a little for its answer, so that the connection is not
         * dropped before the request is read. Best effort: a server that does not answer deletes the transfer at the
         * end of its retention instead.
         */
        private void cancelOnServer(WebSocket socket, BlockingQueue<Event> events) {
            if (id == null) {
                return;
            }
            try {
                sendText(socket, Map.of("type", "cancel", "id", id));
                long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (event == null || event instanceof Text text && "cancelled".equals(text.type())
                            || !(event instanceof Text)) {
                        return;
                    }
                }
            } catch (Exception unanswered) {
                // The connection is gone: the server keeps the transfer for its retention, then deletes it.
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until a chunk ending at {@code end} is within the credit window. */
        private void waitForCredit(BlockingQueue<Event> events, long end, long window, long chunkSize)
                throws Exception {
            while (end > acknowledged + window * chunkSize) {
                handle(events, poll(events));
            }
        }

        private void handle(BlockingQueue<Event> events, Event event) throws TransferFailedException {
            if (event instanceof Text text) {
                if ("ack".equals(text.type())) {
                    acknowledge(text.number("offset"));
                }
            } else if (event instanceof Closed closed) {
                throw new TransferFailedException(closed.code(), closed.reason(), null);
            } else if (event instanceof Broken broken) {
                throw new TransferFailedException(1006, "the connection broke", broken.failure());
            }
        }

        private void acknowledge(long offset) {
            if (offset > acknowledged) {
                acknowledged = offset;
                options.progress().accept(offset);
            }
            while (!unacknowledged.isEmpty()
                    && unacknowledged.peekFirst().offset() + unacknowledged.peekFirst().length() <= offset) {
                unacknowledged.removeFirst();
            }
        }

        private Text await(BlockingQueue<Event> events, String type) throws Exception {
            while (true) {
                Event event = poll(events);
                if (event instanceof Text text && type.equals(text.type())) {
                    return text;
                }
                handle(events, event);
            }
        }

        private Event poll(BlockingQueue<Event> events) throws InterruptedException, TransferFailedException {
            Event event = events.poll(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (event == null) {
                throw new TransferFailedException(1006, "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s",
                        null);
            }
            return event;
        }

        /** The next {@code length} bytes of the payload, read into a chunk's message. */
        private Chunk readChunk(int length) throws IOException {
            byte[] message = new byte[HEADER_BYTES + length];
            int got = input.readNBytes(message, HEADER_BYTES, length);
            if (got < length) {
                throw new IOException("the payload ended after " + (read + got) + " of " + size + " bytes");
            }
            digest.update(message, HEADER_BYTES, length);
            Chunk chunk = new Chunk(read, message);
            read += length;
            return chunk;
        }

        private void sendChunk(WebSocket socket, int channel, Chunk chunk) throws Exception {
            complete(socket.sendBinary(chunk.onChannel(channel), true));
        }

        private void sendText(WebSocket socket, Map<String, ?> message) throws Exception {
            complete(socket.sendText(FlatJson.write(message), true));
        }

        private void complete(CompletableFuture<WebSocket> send) throws Exception {
            try {
                send.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException broken) {
                throw new TransferFailedException(1006, "the connection broke while sending", broken);
            }
        }
    }

    /** Queues what the server sends. */
    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<Event> events;
        private final StringBuilder text = new StringBuilder();

        Listener(BlockingQueue<Event> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    events.add(new Text(FlatJson.read(text.toString())));
                } catch (IllegalArgumentException notJson) {
                    events.add(new Broken(notJson));
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Broken(error));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
