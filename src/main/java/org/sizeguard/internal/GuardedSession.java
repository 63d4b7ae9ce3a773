package org.sizeguard.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

import org.sizeguard.SendBacklogException;

/**
 * The {@link Session} an endpoint author's methods get: the container's, except that whole-message sends through
 * {@link #getBasicRemote()} and {@link #getAsyncRemote()} go through the session's bounded send queue
 * ({@link Outbound}), so that an endpoint that sends to a client which does not read gets a failed send and the
 * session closed with 1008, instead of a thread blocked for good. {@link #getOpenSessions()} returns the guarded
 * sessions of the same endpoint, so broadcasts are bounded too.
 * <ul>
 * <li>Basic sends block the caller until the container has written the message, at most the send timeout (30 s
 * where none is set); then, or when the queue is full, they throw an {@link IOException} whose cause is the
 * {@link SendBacklogException}.</li>
 * <li>Async sends return at once; their {@code Future} or {@code SendHandler} reports the failure.</li>
 * <li>Partial sends, streams and writers, pings and pongs wait (bounded) for the queue to drain and then use the
 * container's own remote, in order; they are not bounded by Sizeguard.</li>
 * </ul>
 * Everything else is the container's session. Thread-safe as the container's session is.
 */
final class GuardedSession implements Session {

    /** Longest a basic send blocks when no send timeout is configured. */
    private static final long UNBOUNDED_SEND_WAIT_MILLIS = 30_000;

    private final Session session;
    private final Outbound outbound;
    private final long sendWaitMillis;
    private final Function<Session, Session> guarded;
    private final RemoteEndpoint.Basic basic = new Basic();
    private final RemoteEndpoint.Async async = new Async();

    private final IdleTimeout idleTimeout;

    /**
     * @param guarded     maps another open session of the container to its guarded session, or to itself if it has
     *                    none
     * @param idleTimeout the session's idle timeout, kept by the container or by Sizeguard
     */
    GuardedSession(Session session, Outbound outbound, long sendTimeoutMillis, Function<Session, Session> guarded,
            IdleTimeout idleTimeout) {
        this.session = session;
        this.idleTimeout = idleTimeout;
        this.outbound = outbound;
        this.sendWaitMillis = sendTimeoutMillis > 0 ? sendTimeoutMillis : UNBOUNDED_SEND_WAIT_MILLIS;
        this.guarded = guarded;
    }

    /** The container's session underneath. */
    Session container() {
        return session;
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        return basic;
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        return async;
    }

    @Override
    public Set<Session> getOpenSessions() {
        Set<Session> open = new LinkedHashSet<>();
        for (Session other : session.getOpenSessions()) {
            open.add(guarded.apply(other));
        }
        return open;
    }

    /** Blocks until the queue has written everything queued before, at most the send wait. */
    private void awaitQueued() throws IOException {
        await(outbound.drained());
    }

    private void await(CompletableFuture<Void> sent) throws IOException {
        try {
            sent.get(sendWaitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("the message was not sent: " + cause.getMessage(), cause);
        } catch (TimeoutException stuck) {
            throw new IOException("the message was not sent within " + sendWaitMillis + " ms", stuck);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        }
    }

    /** Whole messages through the bounded queue; the rest through the container's remote after the queue. */
    private final class Basic implements RemoteEndpoint.Basic {
        @Override
        public void sendText(String text) throws IOException {
            await(outbound.send(text));
        }

        @Override
        public void sendBinary(ByteBuffer data) throws IOException {
            await(outbound.send(data));
        }

        @Override
        public void sendObject(Object data) throws IOException, EncodeException {
            try {
                await(outbound.send(data));
            } catch (IOException failed) {
                if (failed.getCause() instanceof EncodeException encoding) {
                    throw encoding;
                }
                throw failed;
            }
        }

        @Override
        public void sendText(String partialMessage, boolean isLast) throws IOException {
            awaitQueued();
            session.getBasicRemote().sendText(partialMessage, isLast);
        }

        @Override
        public void sendBinary(ByteBuffer partialByte, boolean isLast) throws IOException {
            awaitQueued();
            session.getBasicRemote().sendBinary(partialByte, isLast);
        }

        @Override
        public OutputStream getSendStream() throws IOException {
            awaitQueued();
            return session.getBasicRemote().getSendStream();
        }

        @Override
        public Writer getSendWriter() throws IOException {
            awaitQueued();
            return session.getBasicRemote().getSendWriter();
        }

        @Override
        public void setBatchingAllowed(boolean allowed) throws IOException {
            session.getBasicRemote().setBatchingAllowed(allowed);
        }

        @Override
        public boolean getBatchingAllowed() {
            return session.getBasicRemote().getBatchingAllowed();
        }

        @Override
        public void flushBatch() throws IOException {
            session.getBasicRemote().flushBatch();
        }

        @Override
        public void sendPing(ByteBuffer applicationData) throws IOException {
            session.getBasicRemote().sendPing(applicationData);
        }

        @Override
        public void sendPong(ByteBuffer applicationData) throws IOException {
            session.getBasicRemote().sendPong(applicationData);
        }
    }

    /** Whole messages through the bounded queue, reported through the handler or the future. */
    private final class Async implements RemoteEndpoint.Async {
        @Override
        public long getSendTimeout() {
            return session.getAsyncRemote().getSendTimeout();
        }

        @Override
        public void setSendTimeout(long timeoutmillis) {
            session.getAsyncRemote().setSendTimeout(timeoutmillis);
        }

        @Override
        public void sendText(String text, SendHandler handler) {
            report(outbound.send(text), handler);
        }

        @Override
        public Future<Void> sendText(String text) {
            return outbound.send(text);
        }

        @Override
        public Future<Void> sendBinary(ByteBuffer data) {
            return outbound.send(data);
        }

        @Override
        public void sendBinary(ByteBuffer data, SendHandler handler) {
            report(outbound.send(data), handler);
        }

        @Override
        public Future<Void> sendObject(Object data) {
            return outbound.send(data);
        }

        @Override
        public void sendObject(Object data, SendHandler handler) {
            report(outbound.send(data), handler);
        }

        private void report(CompletableFuture<Void> sent, SendHandler handler) {
            sent.whenComplete((done, failure) -> handler.onResult(failure == null ? new SendResult()
                    : new SendResult(failure)));
        }

        @Override
        public void setBatchingAllowed(boolean allowed) throws IOException {
            session.getAsyncRemote().setBatchingAllowed(allowed);
        }

        @Override
        public boolean getBatchingAllowed() {
            return session.getAsyncRemote().getBatchingAllowed();
        }

        @Override
        public void flushBatch() throws IOException {
            session.getAsyncRemote().flushBatch();
        }

        @Override
        public void sendPing(ByteBuffer applicationData) throws IOException {
            session.getAsyncRemote().sendPing(applicationData);
        }

        @Override
        public void sendPong(ByteBuffer applicationData) throws IOException {
            session.getAsyncRemote().sendPong(applicationData);
        }
    }

    // Everything else is the container's.

    @Override
    public WebSocketContainer getContainer() {
        return session.getContainer();
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        session.addMessageHandler(handler);
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Whole<T> handler) {
        session.addMessageHandler(clazz, handler);
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Partial<T> handler) {
        session.addMessageHandler(clazz, handler);
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        return session.getMessageHandlers();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        session.removeMessageHandler(handler);
    }

    @Override
    public String getProtocolVersion() {
        return session.getProtocolVersion();
    }

    @Override
    public String getNegotiatedSubprotocol() {
        return session.getNegotiatedSubprotocol();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        return session.getNegotiatedExtensions();
    }

    @Override
    public boolean isSecure() {
        return session.isSecure();
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    /** The container's, or Sizeguard's where it keeps the timeout (Payara). */
    @Override
    public long getMaxIdleTimeout() {
        return idleTimeout.get();
    }

    @Override
    public void setMaxIdleTimeout(long milliseconds) {
        idleTimeout.set(milliseconds);
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
        session.setMaxBinaryMessageBufferSize(length);
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        return session.getMaxBinaryMessageBufferSize();
    }

    @Override
    public void setMaxTextMessageBufferSize(int length) {
        session.setMaxTextMessageBufferSize(length);
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        return session.getMaxTextMessageBufferSize();
    }

    @Override
    public String getId() {
        return session.getId();
    }

    @Override
    public void close() throws IOException {
        session.close();
    }

    @Override
    public void close(CloseReason closeReason) throws IOException {
        session.close(closeReason);
    }

    @Override
    public URI getRequestURI() {
        return session.getRequestURI();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        return session.getRequestParameterMap();
    }

    @Override
    public String getQueryString() {
        return session.getQueryString();
    }

    @Override
    public Map<String, String> getPathParameters() {
        return session.getPathParameters();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return session.getUserProperties();
    }

    @Override
    public Principal getUserPrincipal() {
        return session.getUserPrincipal();
    }

    @Override
    public String toString() {
        return "guarded " + session;
    }
}
