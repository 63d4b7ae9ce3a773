package org.sizeguard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Hands the parts of one message from the container's reading thread to an endpoint method that reads the message
 * as a {@link Reader} ({@link #reader}, {@code String} parts) or {@link InputStream} ({@link #inputStream},
 * {@code ByteBuffer} parts) on another thread. The queue holds at most {@value #CAPACITY} parts,
 * so a slow reader slows the connection down instead of filling memory.
 * <p>
 * Every queued part is reserved against the {@link MemoryBudget} (two bytes per char for text) until the reader takes
 * it or the pipe fails. Neither side waits without a bound: {@code put} waits at most the time it is given, the
 * reader at most until the message's deadline.
 * <p>
 * The producer calls {@link #put}, then {@link #end()} or {@link #fail(IOException)}; the consumer reads. Thread-safe
 * for one producer and one consumer; {@link #fail(IOException)} may also come from a third thread, and wakes a
 * {@code put} blocked on a full queue.
 */
final class PartPipe<P> {

    /** Parts in flight between the threads. */
    static final int CAPACITY = 4;

    private static final Object END = new Object();

    /** Parts and the end or failure signal; never full, so a signal always goes in. */
    private final BlockingQueue<Object> parts = new LinkedBlockingQueue<>();
    /** Room for parts: at most {@value #CAPACITY} are queued at a time; signals need no room. */
    private final Semaphore room = new Semaphore(CAPACITY);
    private final MemoryBudget budget;
    /** Heap bytes a queued part takes: what is reserved for it. */
    private final ToLongFunction<P> heapBytes;
    /** {@link System#nanoTime()} after which the reader stops waiting, or {@code Long.MAX_VALUE}. */
    private final long deadlineNanos;
    private volatile boolean failed;
    private boolean ended;
    /** Bytes of the parts in the queue, reserved against the budget; guarded by this. */
    private long queuedBytes;

    /**
     * @param budget        reserves the queued parts
     * @param heapBytes     the heap bytes of a part, reserved while it is queued
     * @param deadlineNanos {@link System#nanoTime()} at which the reader stops waiting for a part, or
     *                      {@code Long.MAX_VALUE} for no deadline (the pipe then ends only by its producer)
     */
    PartPipe(MemoryBudget budget, ToLongFunction<P> heapBytes, long deadlineNanos) {
        this.budget = budget;
        this.heapBytes = heapBytes;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Queues a part the pipe may keep (the producer's copy); once the pipe has failed, drops it.
     * A put blocked on a full queue returns as soon as the pipe fails.
     *
     * @return false if the reader did not make room within {@code timeoutMillis}
     * @throws org.sizeguard.BudgetExhaustedException if the part does not fit the server-wide budget
     */
    boolean put(P part, long timeoutMillis) throws InterruptedException {
        if (failed) {
            return true;
        }
        if (!room.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return failed;
        }
        if (failed) {
            return true;
        }
        long size = heapBytes.applyAsLong(part);
        budget.reserve(size);
        synchronized (this) {
            if (failed) {
                // fail() cleared the queue; the part must not sit behind the failure.
                budget.release(size);
                return true;
            }
            parts.add(part);
            queuedBytes += size;
        }
        return true;
    }

    /** The message is complete: the reader sees end-of-stream after the parts queued so far. */
    synchronized void end() {
        ended = true;
        parts.add(END);
    }

    /** The message was rejected: the reader's next read throws {@code failure}. */
    synchronized void fail(IOException failure) {
        if (ended) {
            // Complete: the reader gets the whole message (a session closing just after its last part).
            return;
        }
        failed = true;
        releaseQueued();
        parts.add(failure);
        // Wakes a put waiting for room; it sees the failure and drops its part.
        room.release(CAPACITY);
    }

    /** The next part, or {@code null} at the end of the message. */
    @SuppressWarnings("unchecked")
    private P take() throws IOException {
        try {
            Object next = poll();
            if (next instanceof IOException failure) {
                parts.offer(failure);
                throw failure;
            }
            if (next == END) {
                parts.offer(END);
                return null;
            }
            room.release();
            return (P) next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the next part of the message");
        }
    }

    /** The next part or signal; a part taken leaves the budget. */
    @SuppressWarnings("unchecked")
    private Object poll() throws InterruptedException, IOException {
        long wait = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        Object next = wait == Long.MAX_VALUE ? parts.take() : parts.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
        if (next == null) {
            // The message's deadline has passed (the session is being closed for it): the reader stops waiting.
            throw new InterruptedIOException("the message was not completed before its deadline");
        }
        synchronized (this) {
            // After a failure the queue's reservation was given back whole, this part's included.
            if (next != END && !(next instanceof IOException) && !failed) {
                long size = heapBytes.applyAsLong((P) next);
                queuedBytes -= size;
                budget.release(size);
            }
        }
        return next;
    }

    /**
     * The reader has stopped reading (its method returned, perhaps before the end): the parts still queued are
     * dropped and their reservation given back, and a {@code put} waiting for room returns at once.
     */
    synchronized void discard() {
        failed = true;
        releaseQueued();
        parts.add(new IOException("the reader has finished"));
        room.release(CAPACITY);
    }

    private void releaseQueued() {
        budget.release(queuedBytes);
        queuedBytes = 0;
        parts.clear();
    }

    /** The message as text, read from a pipe of {@code String} parts. */
    static Reader reader(PartPipe<String> pipe) {
        return new Reader() {
            private String part = "";
            private int position;

            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (position == part.length()) {
                    String next = pipe.take();
                    if (next == null) {
                        return -1;
                    }
                    part = next;
                    position = 0;
                }
                int count = Math.min(length, part.length() - position);
                part.getChars(position, position + count, buffer, offset);
                position += count;
                return count;
            }

            @Override
            public void close() {
                // The message's remaining parts are still read and counted by Sizeguard; nothing to release here.
            }
        };
    }

    /** The message as bytes, read from a pipe of {@code ByteBuffer} parts. */
    static InputStream inputStream(PartPipe<ByteBuffer> pipe) {
        return new InputStream() {
            private ByteBuffer part = ByteBuffer.allocate(0);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (!part.hasRemaining()) {
                    ByteBuffer next = pipe.take();
                    if (next == null) {
                        return -1;
                    }
                    part = next;
                }
                int count = Math.min(length, part.remaining());
                part.get(buffer, offset, count);
                return count;
            }

            @Override
            public int available() {
                return part.remaining();
            }
        };
    }
}
