package org.sizeguard.internal.adapter.tyrus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;

import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.GuardedConnection;
import org.sizeguard.internal.adapter.SessionLimits;
import org.sizeguard.internal.adapter.deflate.DeflaterPool;

/**
 * A {@link WebConnection} whose input is the container's, passed through a {@link FrameRelay}; output is the
 * container's own, or, where permessage-deflate was negotiated, that output through a {@link CompressingOutput}.
 * <p>
 * <b>Lingering close.</b> When the WebSocket implementation closes the connection before the client's close frame
 * has arrived (Tyrus does so right after sending its own close frame, e.g. a 1009 refusing a frame from its header),
 * the rest of the client's message may still be on its way. Closing the socket with unread input makes the kernel
 * answer with a reset, and a client that gets the reset before it has read the close frame reports 1006 instead of
 * the 1009 it was sent. So the real close waits, while the input is still read and dropped, until the client's close
 * frame has passed or {@value #LINGER_MILLIS} ms have gone by, whichever comes first (RFC 6455 §7.1.1 asks servers to
 * close the TCP connection after the closing handshake).
 */
final class RelayedConnection implements WebConnection, GuardedConnection {

    /** Longest wait for the client's close frame before the socket is closed anyway. */
    static final long LINGER_MILLIS = 2000;

    private final WebConnection connection;
    private final FrameRelay relay;
    private final ScheduledExecutorService lingerTimer;
    private final RelayedInputStream input;
    private final DeflaterPool deflaters;
    private CompressingOutput output;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param lingerTimer delays the lingering close; if it has been shut down, the connection closes at once
     * @param deflaters   compress replies where the relay {@linkplain FrameRelay#inflates() inflates}; {@code null}
     *                    where permessage-deflate was not negotiated
     */
    RelayedConnection(WebConnection connection, FrameRelay relay, ScheduledExecutorService lingerTimer,
            DeflaterPool deflaters) {
        this.connection = connection;
        this.relay = relay;
        this.lingerTimer = lingerTimer;
        this.deflaters = deflaters;
        this.input = new RelayedInputStream(connection, relay, this::closeIfClientClosed);
    }

    /** The relay this connection's input goes through. */
    FrameRelay relay() {
        return relay;
    }

    @Override
    public void attach(SessionLimits limits, ConnectionListener listener) {
        relay.attach(limits, listener);
    }

    /**
     * Closes the connection underneath at once, without a closing handshake: for a session whose close the
     * WebSocket implementation could not complete (a client that does not read), so that neither its connection nor
     * the write the implementation blocks on outlives the session. Any thread.
     */
    @Override
    public void abort() {
        closeQuietly();
    }

    @Override
    public long lastInputNanos() {
        return relay.lastInputNanos();
    }

    @Override
    public ServletInputStream getInputStream() {
        return input;
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
        if (deflaters == null) {
            return connection.getOutputStream();
        }
        if (output == null) {
            output = new CompressingOutput(connection.getOutputStream(), deflaters, relay::inflates);
        }
        return output;
    }

    @Override
    public void close() throws Exception {
        closeRequested.set(true);
        if (relay.clientClosed()) {
            closeNow();
        } else {
            try {
                lingerTimer.schedule(this::closeQuietly, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException undeployed) {
                closeNow();
            }
        }
    }

    /** Called after each read: once the implementation wants to close and the client's close frame is in. */
    private void closeIfClientClosed() {
        if (closeRequested.get() && relay.clientClosed()) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            closeNow();
        } catch (Exception alreadyGone) {
            // The container has closed the connection itself (the client went away): nothing left to close.
        }
    }

    private void closeNow() throws Exception {
        if (closed.compareAndSet(false, true)) {
            relay.connectionEnded();
            releaseOutput();
            connection.close();
        }
    }

    private synchronized void releaseOutput() {
        if (output != null) {
            output.release();
        }
    }

    /** What the relay writes for one read, whose buffer is read from directly instead of copied once more. */
    private static final class Relayed extends ByteArrayOutputStream {
        Relayed(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /**
     * The relayed input. Non-blocking as the servlet API defines it: the reader calls {@code read} only while
     * {@link #isReady()}; a {@code read} may return 0 when everything read so far was held back (an incomplete
     * header or fragment) or dropped (a rejected message), and the reader then asks {@code isReady()} again. While
     * the relay holds back inflated output, the stream is ready without the container's input, and a read passes on
     * the relay's next fragment before it reads the connection again.
     */
    private static final class RelayedInputStream extends ServletInputStream {

        private final WebConnection connection;
        private final FrameRelay relay;
        private final Runnable afterRead;
        private ServletInputStream in;
        /** Relayed bytes the container has not read yet; {@code null} when there are none, so idle costs nothing. */
        private byte[] pending;
        private int pendingPosition;
        private int pendingLength;

        RelayedInputStream(WebConnection connection, FrameRelay relay, Runnable afterRead) {
            this.connection = connection;
            this.relay = relay;
            this.afterRead = afterRead;
        }

        private ServletInputStream in() throws IOException {
            if (in == null) {
                in = connection.getInputStream();
            }
            return in;
        }

        private int pendingBytes() {
            return pending == null ? 0 : pendingLength - pendingPosition;
        }

        @Override
        public boolean isFinished() {
            try {
                return pendingBytes() == 0 && !relay.hasBacklog() && in().isFinished();
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public boolean isReady() {
            try {
                return pendingBytes() > 0 || relay.hasBacklog() || in().isReady();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                // The end of the connection is seen here too, so the session can be released if the WebSocket
                // implementation never reports it closed.
                in().setReadListener(new ReadListener() {
                    @Override
                    public void onDataAvailable() throws IOException {
                        listener.onDataAvailable();
                    }

                    @Override
                    public void onAllDataRead() throws IOException {
                        relay.connectionEnded();
                        listener.onAllDataRead();
                    }

                    @Override
                    public void onError(Throwable failure) {
                        relay.connectionEnded();
                        listener.onError(failure);
                    }
                });
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

        /** Handed on as it is, not copied: the relayed bytes are the container's to read. */
        private void hold(Relayed relayed) {
            pending = relayed.size() == 0 ? null : relayed.bytes();
            pendingLength = relayed.size();
            pendingPosition = 0;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (pendingBytes() == 0 && relay.hasBacklog()) {
                Relayed relayed = new Relayed(FrameRelay.MAX_FRAGMENT_PAYLOAD + 64);
                relay.resume(relayed);
                hold(relayed);
                afterRead.run();
            } else if (pendingBytes() == 0) {
                // A buffer per read, not per connection: between reads an idle connection holds nothing. The read
                // size bounds the fragments the container buffers (see FrameRelay).
                // Sized by what is there, so a small message costs a small buffer.
                int size = Math.min(Math.min(FrameRelay.MAX_FRAGMENT_PAYLOAD, length), Math.max(1024, in().available()));
                byte[] chunk = new byte[size];
                int n;
                try {
                    n = in().read(chunk, 0, chunk.length);
                } catch (IOException broken) {
                    relay.connectionEnded();
                    throw broken;
                }
                if (n < 0) {
                    relay.connectionEnded();
                }
                if (n <= 0) {
                    return n;
                }
                Relayed relayed = new Relayed(n + 64);
                relay.accept(chunk, 0, n, relayed);
                hold(relayed);
                afterRead.run();
            }
            if (pendingBytes() == 0) {
                return 0;
            }
            int count = Math.min(length, pendingBytes());
            System.arraycopy(pending, pendingPosition, bytes, offset, count);
            pendingPosition += count;
            if (pendingPosition == pendingLength) {
                pending = null;
            }
            return count;
        }
    }
}
