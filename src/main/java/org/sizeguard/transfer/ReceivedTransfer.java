package org.sizeguard.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A chunked transfer that has arrived whole and verified, as an {@link OnTransfer} method receives it. Valid only
 * while that method runs: afterwards the file behind {@link #path()} is deleted (unless the method moved it).
 */
public interface ReceivedTransfer {

    /** The transfer's id, the client's or one the server issued. */
    String id();

    /** The payload's size in bytes, as declared and as received. */
    long size();

    /** The payload's SHA-256, 64 lowercase hex digits, as declared and as computed by the server. */
    String sha256();

    /** The file name the client gave in its metadata: data, never a path the server uses. */
    Optional<String> name();

    /** The content type the client gave in its metadata. */
    Optional<String> contentType();

    /** The spilled payload, a file of {@link #size()} bytes in Sizeguard's transfer directory. */
    Path path();

    /** A new stream over the payload; the caller closes it. */
    InputStream openStream() throws IOException;
}
