package org.sizeguard.testclient;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client over a plain socket that writes frames exactly as told: one frame of any declared length,
 * any fragmentation, payload generated on the fly so that 2 GiB never sits in memory. It is how tests send the
 * frame layouts that the JDK client never produces (one big text frame) and count the bytes the server took
 * before it closed.
 * <p>
 * A reader thread collects the server's messages and its close frame; after the server's close frame it answers
 * with a close frame of the same code, as RFC 6455 §5.5.1 asks.
 */
public final class RawWebSocketClient implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CONTINUATION = 0x0;
    public static final int CLOSE = 0x8;

    private static final int WRITE_CHUNK = 64 * 1024;

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> close = new CompletableFuture<>();
    private final AtomicLong payloadBytesWritten = new AtomicLong();
    private volatile long payloadBytesWrittenAtClose = -1;
    private final byte[] mask = {0x12, 0x34, 0x56, 0x78};
    private final Object writeLock = new Object();

    private volatile String handshakeResponse = "";

    private RawWebSocketClient(Socket socket, InputStream in, boolean reading) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        if (reading) {
            Thread reader = new Thread(() -> read(in), "raw-ws-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * Connects like {@link #connect(URI)} but never reads what the server sends, with a small receive buffer: a
     * client that has stopped reading. {@link #awaitClose} never completes for it.
     */
    public static RawWebSocketClient connectWithoutReading(URI uri) throws IOException {
        return connect(uri, true, false, null);
    }

    /**
     * Connects like {@link #connect(URI)} from the local address {@code from}: on Linux every 127.x.y.z is the
     * loopback, so one machine can be several clients to a server that listens on 127.0.0.1.
     */
    public static RawWebSocketClient connectFrom(URI uri, InetAddress from) throws IOException {
        return connect(uri, true, true, from);
    }

    /** Writes {@code bytes} as they are: frames that break the rules, or half a header. */
    public void sendRaw(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            out.write(bytes);
            out.flush();
        }
    }

    /** Connects and completes the opening handshake with {@code uri} (ws://host:port/path). */
    public static RawWebSocketClient connect(URI uri) throws IOException {
        return connect(uri, false);
    }

    /**
     * Like {@link #connect(URI)}; with {@code tcpNoDelay} the socket sends every write at once (Nagle's algorithm
     * off). Without it, a frame's header and payload written one after the other wait for the peer's delayed ACK
     * (about 40 ms on Linux), which caps request/response round trips at some 25 per second per connection and lets
     * paced writes pile up in the socket buffer.
     */
    public static RawWebSocketClient connect(URI uri, boolean tcpNoDelay) throws IOException {
        return connect(uri, tcpNoDelay, true, null);
    }

    /**
     * Connects like {@link #connect(URI)}, offering {@code extensions} in {@code Sec-WebSocket-Extensions} (e.g.
     * {@code "permessage-deflate; client_max_window_bits"}); {@link #negotiatedExtensions()} says what the server
     * answered.
     */
    public static RawWebSocketClient connectOffering(URI uri, String extensions) throws IOException {
        return connect(uri, true, true, null, "Sec-WebSocket-Extensions: " + extensions + "\r\n");
    }

    /** Connects like {@link #connect(URI)}, asking for {@code subprotocol} in {@code Sec-WebSocket-Protocol}. */
    public static RawWebSocketClient connectSpeaking(URI uri, String subprotocol) throws IOException {
        return connect(uri, true, true, null, "Sec-WebSocket-Protocol: " + subprotocol + "\r\n");
    }

    /** The server's {@code Sec-WebSocket-Protocol} answer, or {@code ""} when it chose none. */
    public String negotiatedSubprotocol() {
        return responseHeader("Sec-WebSocket-Protocol");
    }

    /** The server's {@code Sec-WebSocket-Extensions} answer, or {@code ""} when it negotiated none. */
    public String negotiatedExtensions() {
        return responseHeader("Sec-WebSocket-Extensions");
    }

    private String responseHeader(String name) {
        for (String line : handshakeResponse.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static RawWebSocketClient connect(URI uri, boolean tcpNoDelay, boolean reading, InetAddress from)
            throws IOException {
        return connect(uri, tcpNoDelay, reading, from, null);
    }

    /** @param headers more request header lines, each ending with CRLF, or {@code null} */
    private static RawWebSocketClient connect(URI uri, boolean tcpNoDelay, boolean reading, InetAddress from,
            String headers) throws IOException {
        Socket socket = new Socket();
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        if (!reading) {
            socket.setReceiveBufferSize(4096);
        }
        socket.setTcpNoDelay(tcpNoDelay);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        socket.setSoTimeout(0);
        String key = Base64.getEncoder().encodeToString(("sizeguard-" + System.nanoTime()).substring(0, 16)
                .getBytes(StandardCharsets.US_ASCII));
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + (headers == null ? "" : headers) + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101") || !head.contains(accept(key))) {
            socket.close();
            throw new IOException("handshake refused: " + head);
        }
        RawWebSocketClient client = new RawWebSocketClient(socket, in, reading);
        client.handshakeResponse = head;
        return client;
    }

    /** Sends a complete text message as one frame. */
    public void sendText(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sendFrame(true, TEXT, bytes.length, PayloadSource.of(bytes));
    }

    /** Sends a complete binary message as one frame. */
    public void sendBinary(byte[] bytes) throws IOException {
        sendFrame(true, BINARY, bytes.length, PayloadSource.of(bytes));
    }

    /**
     * Writes one frame whose header declares {@code length} payload bytes, then the payload from {@code source}
     * in chunks. Stops with an {@link IOException} when the server has closed the connection.
     */
    public void sendFrame(boolean fin, int opcode, long length, PayloadSource source) throws IOException {
        sendFrame(fin, 0, opcode, length, source);
    }

    /** Like {@link #sendFrame(boolean, int, long, PayloadSource)} with reserved bits {@code rsv} (RSV1 is 4). */
    public void sendFrame(boolean fin, int rsv, int opcode, long length, PayloadSource source) throws IOException {
        synchronized (writeLock) {
            out.write(header(fin, rsv, opcode, length));
            byte[] chunk = new byte[(int) Math.min(WRITE_CHUNK, Math.max(1, length))];
            long written = 0;
            while (written < length) {
                int n = (int) Math.min(chunk.length, length - written);
                source.fill(written, chunk, n);
                for (int i = 0; i < n; i++) {
                    chunk[i] ^= mask[(int) ((written + i) & 3)];
                }
                // Counted before the write, so that the count never falls behind what the server can have read.
                if (opcode != CLOSE) {
                    payloadBytesWritten.addAndGet(n);
                }
                out.write(chunk, 0, n);
                written += n;
            }
            out.flush();
        }
    }

    /**
     * Writes the header of one frame declaring {@code length} payload bytes, then the payload in chunks of
     * {@code chunk} bytes, waiting up to {@code pause} after each chunk for the server's close frame, so that the
     * server reads each chunk before the next is written. Stops when the close frame arrives or the connection
     * fails.
     *
     * @return payload bytes written when it stopped
     */
    public long trickle(boolean fin, int opcode, long length, PayloadSource source, int chunk, Duration pause)
            throws IOException {
        return trickle(fin, opcode, length, 0, source, chunk, pause);
    }

    /**
     * Like {@link #trickle(boolean, int, long, PayloadSource, int, Duration)}, but writes the first
     * {@code fastBytes} of the payload at full speed, without waiting.
     */
    public long trickle(boolean fin, int opcode, long length, long fastBytes, PayloadSource source, int chunk,
            Duration pause) throws IOException {
        synchronized (writeLock) {
            out.write(header(fin, opcode, length));
            out.flush();
        }
        byte[] bytes = new byte[chunk];
        long written = 0;
        while (written < length && !close.isDone()) {
            int n = (int) Math.min(written < fastBytes ? Math.min(chunk, fastBytes - written) : chunk, length - written);
            source.fill(written, bytes, n);
            for (int i = 0; i < n; i++) {
                bytes[i] ^= mask[(int) ((written + i) & 3)];
            }
            try {
                synchronized (writeLock) {
                    out.write(bytes, 0, n);
                    out.flush();
                }
            } catch (IOException closedByServer) {
                break;
            }
            written += n;
            payloadBytesWritten.addAndGet(n);
            if (written < fastBytes) {
                continue;
            }
            try {
                close.get(pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillOpen) {
                // The server has not closed yet: write the next chunk.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException connectionEnded) {
                break;
            }
        }
        return written;
    }

    /** Sends a close frame with {@code code}. */
    public void sendClose(int code) throws IOException {
        byte[] payload = {(byte) (code >> 8), (byte) code};
        sendFrame(true, CLOSE, 2, PayloadSource.of(payload));
    }

    /** The server's close frame, or an exception if the connection ended without one. */
    public Close awaitClose(Duration timeout) throws Exception {
        try {
            return close.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("no close frame from the server within " + timeout);
        }
    }

    /**
     * Completes with the server's close frame, or exceptionally when the connection ended without one (1006).
     * A copy: completing it does not affect the client.
     */
    public CompletableFuture<Close> closeFuture() {
        return close.copy();
    }

    /** The next message from the server, or {@code null} after {@code timeout}. */
    public Message nextMessage(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Data payload bytes this client has handed, or is handing, to the socket: an upper bound of what the server
     * read (frame headers not counted). Loose by what the socket buffers of both ends hold, up to some MiB.
     */
    public long payloadBytesWritten() {
        return payloadBytesWritten.get();
    }

    /**
     * {@link #payloadBytesWritten()} at the moment the server's close frame arrived or the connection ended
     * without one; -1 while the connection is open.
     */
    public long payloadBytesWrittenAtClose() {
        return payloadBytesWrittenAtClose;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void read(InputStream in) {
        DataInputStream data = new DataInputStream(in);
        ByteArrayOutputStream fragments = new ByteArrayOutputStream();
        int messageOpcode = -1;
        boolean messageCompressed = false;
        try {
            while (true) {
                int b0 = data.readUnsignedByte();
                int b1 = data.readUnsignedByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = data.readUnsignedShort();
                } else if (length == 127) {
                    length = data.readLong();
                }
                byte[] payload = new byte[(int) length];
                data.readFully(payload);
                if (opcode == CLOSE) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    String reason = payload.length > 2
                            ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    payloadBytesWrittenAtClose = payloadBytesWritten.get();
                    close.complete(new Close(code, reason, payload.length - 2));
                    try {
                        sendClose(code == 1005 ? 1000 : code);
                    } catch (IOException alreadyClosed) {
                        // The server may close the TCP connection right after its close frame; nothing to answer.
                    }
                    return;
                }
                if (opcode == TEXT || opcode == BINARY) {
                    messageOpcode = opcode;
                    messageCompressed = (b0 & 0x40) != 0;
                    fragments.reset();
                }
                if (opcode == TEXT || opcode == BINARY || opcode == CONTINUATION) {
                    fragments.write(payload);
                    if (fin) {
                        messages.add(new Message(messageOpcode, fragments.toByteArray(), messageCompressed));
                    }
                }
            }
        } catch (EOFException eof) {
            payloadBytesWrittenAtClose = payloadBytesWritten.get();
            close.completeExceptionally(new IOException("connection ended without a close frame (1006)"));
        } catch (IOException e) {
            payloadBytesWrittenAtClose = payloadBytesWritten.get();
            close.completeExceptionally(new IOException("connection failed without a close frame (1006): " + e, e));
        }
    }

    private byte[] header(boolean fin, int opcode, long length) {
        return header(fin, 0, opcode, length);
    }

    private byte[] header(boolean fin, int rsv, int opcode, long length) {
        ByteBuffer header = ByteBuffer.allocate(14);
        header.put((byte) ((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode));
        if (length < 126) {
            header.put((byte) (0x80 | length));
        } else if (length <= 0xFFFF) {
            header.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            header.put((byte) (0x80 | 127)).putLong(length);
        }
        header.put(mask);
        byte[] bytes = new byte[header.position()];
        header.flip().get(bytes);
        return bytes;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.append((char) c);
            matched = (c == '\r' || c == '\n') && "\r\n\r\n".charAt(matched) == c ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toString();
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                    .getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Produces payload bytes at a given offset, so that a huge payload is generated rather than stored. */
    @FunctionalInterface
    public interface PayloadSource {
        void fill(long offset, byte[] chunk, int length);

        static PayloadSource of(byte[] bytes) {
            return (offset, chunk, length) -> System.arraycopy(bytes, (int) offset, chunk, 0, length);
        }

        /** Bytes that depend on their offset, so that a misplaced or lost chunk changes the hash. */
        static PayloadSource pattern() {
            return (offset, chunk, length) -> {
                for (int i = 0; i < length; i++) {
                    long at = offset + i;
                    chunk[i] = (byte) (at * 31 + (at >>> 11));
                }
            };
        }

        /** SHA-256 of the first {@code length} bytes of this source, as lower-case hex. */
        default String sha256(long length) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] chunk = new byte[WRITE_CHUNK];
                for (long offset = 0; offset < length; offset += chunk.length) {
                    int n = (int) Math.min(chunk.length, length - offset);
                    fill(offset, chunk, n);
                    digest.update(chunk, 0, n);
                }
                return java.util.HexFormat.of().formatHex(digest.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Repeats one ASCII character: valid UTF-8 of any length. */
        static PayloadSource repeating(byte ascii) {
            return (offset, chunk, length) -> java.util.Arrays.fill(chunk, 0, length, ascii);
        }
    }

    /** The server's close frame. */
    public record Close(int code, String reason, int reasonBytes) {
    }

    /** A complete message from the server; {@code compressed} if its first frame had RSV1 (permessage-deflate). */
    public record Message(int opcode, byte[] payload, boolean compressed) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }
}
