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

        /** Bytes stored so far. */
        long received();

        /** Appends {@code data} after the bytes stored so far, and counts it into the running SHA-256. */
        void append(ByteBuffer data) throws IOException;

        /** The SHA-256 of the bytes stored so far, in lowercase hex. */
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
