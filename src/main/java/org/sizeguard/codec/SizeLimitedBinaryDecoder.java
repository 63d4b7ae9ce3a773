package org.sizeguard.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.inject.Inject;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;

/**
 * Reads a binary message into a {@code byte[]}, counting its bytes as it reads and refusing it with
 * {@link MessageTooBigException} (1009) at the first byte past the policy's binary stream cap
 * ({@link MessageSizePolicy#streamLimit(MessageKind)}), so that nothing past the cap is ever held — also where an
 * endpoint is not guarded by Sizeguard.
 * <p>
 * Policy: as {@link DecoderPolicy} describes. One instance per session; not for concurrent use.
 */
public class SizeLimitedBinaryDecoder implements Decoder.BinaryStream<byte[]> {

    @Inject
    private MessageSizePolicy injectedPolicy;

    private final MessageSizePolicy givenPolicy;
    private MessageSizePolicy policy;

    /** A decoder whose policy comes from CDI, or the application's default policy, or the built-in defaults. */
    public SizeLimitedBinaryDecoder() {
        this(null);
    }

    /** A decoder held to {@code policy} (unless CDI injects one), for use without CDI and in tests. */
    public SizeLimitedBinaryDecoder(MessageSizePolicy policy) {
        this.givenPolicy = policy;
    }

    @Override
    public void init(EndpointConfig config) {
        policy = DecoderPolicy.resolve(injectedPolicy, givenPolicy);
    }

    @Override
    public byte[] decode(InputStream in) throws IOException {
        MessageSizePolicy limits = policy != null ? policy : DecoderPolicy.resolve(injectedPolicy, givenPolicy);
        long limit = limits.streamLimit(MessageKind.BINARY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total = MessageTooBigException.requireWithin(MessageKind.BINARY, limit, total + n);
            bytes.write(buffer, 0, n);
        }
        return bytes.toByteArray();
    }
}
