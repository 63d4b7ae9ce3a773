package org.sizeguard.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.BoundedInflater;
import org.sizeguard.internal.DeployedApplication;

/**
 * The compressed formats a payload may arrive in, and their inflation within a limit. The limit counts
 * <em>inflated</em> bytes and is checked while inflating: {@link #inflate} never asks the inflater for more than one
 * byte beyond the limit, so a message of 1 KiB that would inflate to 1 GiB costs at most the limit + 1 byte of
 * output (and the inflater's own window, 32 KiB) before it is refused, whatever its compression ratio.
 * <p>
 * On {@code java.util.zip}; stateless. The streams it returns are not thread-safe. Each holds, from its first read
 * until it is closed or read to its end, an input buffer of 8 KiB and the inflater's native
 * memory (about 40 KiB, its 32 KiB window included); what it yields goes into the caller's buffers, never into one of
 * its own. It does not reserve any of that: a caller that keeps such streams open per connection (permessage-deflate)
 * reserves {@link #HELD_BYTES} for each against its budget before opening one, and releases it after closing.
 */
public enum Inflation {

    /** RFC 1952 gzip, one or more members ({@code Content-Encoding: gzip}, {@code CompressionStream("gzip")}). */
    GZIP,
    /** RFC 1950 zlib: deflate with a two-byte header and an Adler-32 ({@code CompressionStream("deflate")}). */
    ZLIB,
    /** RFC 1951 raw deflate, no header ({@code CompressionStream("deflate-raw")}, permessage-deflate's payloads). */
    DEFLATE;

    /** Input read from the compressed stream at a time. */
    private static final int INPUT_BUFFER = 8192;

    /** Heap and native bytes an open stream of {@link #inflate} holds, at most: its input buffer and the inflater. */
    public static final long HELD_BYTES = INPUT_BUFFER + 40 * 1024;

    /**
     * The inflated bytes of {@code compressed}, within {@code limit}.
     *
     * @param kind  named in the 1009 reason
     * @param limit the most inflated bytes the stream yields; reading beyond throws {@link MessageTooBigException}
     *              (1009) after inflating at most one more byte
     * @return a stream whose reads throw {@link UndecodableMessageException} (1007) for data that is not valid in
     *         this format (including data that ends early) and {@code IOException} only where {@code compressed}
     *         does; closing it closes {@code compressed} and frees the inflater
     */
    public InputStream inflate(InputStream compressed, MessageKind kind, long limit) {
        return new Bounded(this, compressed, kind, limit);
    }

    private InflaterInputStream open(InputStream compressed) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(compressed, INPUT_BUFFER);
            case ZLIB -> new Ending(compressed, new Inflater(false));
            case DEFLATE -> new Ending(compressed, new Inflater(true));
        };
    }

    private String description() {
        return switch (this) {
            case GZIP -> "gzip";
            case ZLIB -> "zlib";
            case DEFLATE -> "deflate";
        };
    }

    /** An inflater stream that frees the inflater it was given when closed (the JDK's frees only its own). */
    private static final class Ending extends InflaterInputStream {
        Ending(InputStream in, Inflater inflater) {
            super(in, inflater, INPUT_BUFFER);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                inf.end();
            }
        }
    }

    /** A stream of inflated bytes within a limit: a {@link BoundedInflater} over the format's inflating stream. */
    private static final class Bounded extends InputStream {
        private final Inflation format;
        private final InputStream compressed;
        private final BoundedInflater<IOException> inflater;
        private final byte[] single = new byte[1];
        private InflaterInputStream inflating;
        private boolean closed;

        Bounded(Inflation format, InputStream compressed, MessageKind kind, long limit) {
            this.format = format;
            this.compressed = compressed;
            this.inflater = new BoundedInflater<>(kind, limit,
                    "binary message is not valid " + format.description() + " data", this::readInflated);
        }

        @Override
        public int read() throws IOException {
            return read(single, 0, 1) < 0 ? -1 : single[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (closed) {
                throw new IOException("the inflated stream is closed");
            }
            int n;
            try {
                n = inflater.inflate(buffer, offset, length);
            } catch (SizeguardCloseException refused) {
                close();
                throw refused;
            }
            if (n < 0) {
                close();
            }
            return n;
        }

        /** The format's stream, opened at the first read (a gzip header is read then). */
        private int readInflated(byte[] buffer, int offset, int length) throws IOException {
            if (inflating == null) {
                inflating = format.open(compressed);
            }
            return inflating.read(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            DeployedApplication.countInflated(inflater.inflated());
            if (inflating != null) {
                inflating.close();
            } else {
                compressed.close();
            }
        }
    }
}
