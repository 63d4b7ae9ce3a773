package org.sizeguard.testclient;

import java.io.InputStream;
import java.security.MessageDigest;

import org.sizeguard.testclient.RawWebSocketClient.PayloadSource;

/**
 * The first {@code size} bytes of a {@link PayloadSource} as a stream read once, made as they are read (a payload of
 * a GiB is never held), optionally hashed into a digest on the way.
 */
public final class PayloadStream extends InputStream {

    private final PayloadSource source;
    private final long size;
    private final MessageDigest digest;
    private long position;

    /** @param digest takes every byte read, or {@code null} */
    public PayloadStream(PayloadSource source, long size, MessageDigest digest) {
        this.source = source;
        this.size = size;
        this.digest = digest;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position == size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        byte[] made = new byte[n];
        source.fill(position, made, n);
        System.arraycopy(made, 0, buffer, offset, n);
        if (digest != null) {
            digest.update(made);
        }
        position += n;
        return n;
    }
}
