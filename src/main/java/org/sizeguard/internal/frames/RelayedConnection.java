package org.sizeguard.internal.frames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;

/**
 * A {@link WebConnection} whose input is the container's, passed through a {@link FrameRelay}; output and close
 * are the container's own.
 */
final class RelayedConnection implements WebConnection {

    private final WebConnection connection;
    private final RelayedInputStream input;

    RelayedConnection(WebConnection connection, FrameRelay relay) {
        this.connection = connection;
        this.input = new RelayedInputStream(connection, relay);
    }

    @Override
    public ServletInputStream getInputStream() {
        return input;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        return connection.getOutputStream();
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }

    /**
     * The relayed input. Non-blocking as the servlet API defines it: the reader calls {@code read} only while
     * {@link #isReady()}; a {@code read} may return 0 when everything read so far was held back (an incomplete
     * header or fragment) or dropped (a rejected message), and the reader then asks {@code isReady()} again.
     */
    private static final class RelayedInputStream extends ServletInputStream {

        private static final int READ_CHUNK = 16 * 1024;

        private final WebConnection connection;
        private final FrameRelay relay;
        private final byte[] chunk = new byte[READ_CHUNK];
        private final ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        private ServletInputStream in;
        private byte[] pending = new byte[0];
        private int pendingPosition;

        RelayedInputStream(WebConnection connection, FrameRelay relay) {
            this.connection = connection;
            this.relay = relay;
        }

        private ServletInputStream in() throws IOException {
            if (in == null) {
                in = connection.getInputStream();
            }
            return in;
        }

        private int pendingBytes() {
            return pending.length - pendingPosition;
        }

        @Override
        public boolean isFinished() {
            try {
                return pendingBytes() == 0 && in().isFinished();
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public boolean isReady() {
            try {
                return pendingBytes() > 0 || in().isReady();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                in().setReadListener(listener);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the WebSocket connection", e);
            }
        }

        @Override
        public int available() throws IOException {
            return pendingBytes() > 0 ? pendingBytes() : in().available();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (pendingBytes() == 0) {
                int n = in().read(chunk, 0, Math.min(chunk.length, Math.max(length, 1)));
                if (n <= 0) {
                    return n;
                }
                relay.accept(chunk, 0, n, relayed);
                pending = relayed.toByteArray();
                pendingPosition = 0;
                relayed.reset();
            }
            int count = Math.min(length, pendingBytes());
            System.arraycopy(pending, pendingPosition, bytes, offset, count);
            pendingPosition += count;
            return count;
        }
    }
}
