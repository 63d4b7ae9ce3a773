package org.sizeguard.internal.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Where the application's unfinished transfers live: their state and their bytes. One small interface so that a
 * store shared by several nodes (a resumed transfer landing on another node of a cluster) can replace the local one
 * ({@link DirectoryTransferStore}) later; {@link Transfers} keeps the limits and the protocol above it. Thread-safe.
 */
public interface TransferStore {

    /** What a transfer is, fixed at its {@code start}. */
    record Description(String id, long size, String name, String contentType, String declaredSha256,
            byte[] tokenDigest, Instant deadline) {
    }

    /** One stored transfer: its description and the bytes received so far, in order. */
    interface Stored {

        Description description();

        /** Bytes stored so far: the end of the last committed chunk. */
        long received();

        /**
         * Writes the bytes of one part of the chunk being received, at {@code position}, and counts them into that
         * chunk's SHA-256; they count as stored only once the chunk is {@linkplain #commit committed}. A part at
         * {@link #received()} starts a chunk and drops what an unfinished one had written (its connection ended, or
         * another took the transfer over); any other part continues the chunk at its end.
         *
         * @param position {@link #received()}, or the end of what the chunk being received has written so far
         * @throws IllegalStateException if {@code position} is neither
         */
        void write(long position, ByteBuffer data) throws IOException;

        /**
         * The chunk being received ends at {@code end}: its bytes are stored, {@link #received()} becomes
         * {@code end}. {@code end == received()} commits an empty chunk, which drops an unfinished one.
         *
         * @throws IllegalStateException if {@code end} is not where the chunk being received ends
         */
        void commit(long end);

        /** The SHA-256 of the bytes stored so far (committed chunks), in lowercase hex. */
        String sha256();

        /** The stored bytes as a file (for the application's method; valid until the transfer is removed). */
        Path path();

        InputStream openStream() throws IOException;
    }

    /**
     * Stores a new transfer, with no bytes yet.
     *
     * @return the transfer, or empty if one with the same id exists
     */
    Optional<Stored> create(Description description) throws IOException;

    Optional<Stored> find(String id);

    /** Every stored transfer, for the sweep of deadlines and retention. */
    Collection<Stored> all();

    /** Deletes the transfer and its bytes; nothing if it is gone already. */
    void remove(String id);

    /** Deletes every transfer and every left-over of an earlier run (a crashed server), at start-up. */
    void clear() throws IOException;
}
