package org.sizeguard.codec;

import java.io.IOException;
import java.io.Reader;

import jakarta.inject.Inject;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.internal.Utf8;

/**
 * Reads a text message into a {@code String}, counting its UTF-8 bytes as it reads and refusing it with
 * {@link MessageTooBigException} (1009) at the first character past the policy's text stream cap
 * ({@link MessageSizePolicy#streamLimit(MessageKind)}), so that nothing past the cap is ever held — also where an
 * endpoint is not guarded by Sizeguard.
 * <p>
 * Policy: as {@link DecoderPolicy} describes. One instance per session; not for concurrent use.
 */
public class SizeLimitedTextDecoder implements Decoder.TextStream<String> {

    @Inject
    private MessageSizePolicy injectedPolicy;

    private final MessageSizePolicy givenPolicy;
    private MessageSizePolicy policy;

    /** A decoder whose policy comes from CDI, or the application's default policy, or the built-in defaults. */
    public SizeLimitedTextDecoder() {
        this(null);
    }

    /** A decoder held to {@code policy} (unless CDI injects one), for use without CDI and in tests. */
    public SizeLimitedTextDecoder(MessageSizePolicy policy) {
        this.givenPolicy = policy;
    }

    @Override
    public void init(EndpointConfig config) {
        policy = DecoderPolicy.resolve(injectedPolicy, givenPolicy);
    }

    @Override
    public String decode(Reader reader) throws IOException {
        MessageSizePolicy limits = policy != null ? policy : DecoderPolicy.resolve(injectedPolicy, givenPolicy);
        long limit = limits.streamLimit(MessageKind.TEXT);
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[4096];
        long bytes = 0;
        for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
            bytes = MessageTooBigException.requireWithin(MessageKind.TEXT, limit,
                    bytes + Utf8.encodedLength(java.nio.CharBuffer.wrap(buffer, 0, n)));
            text.append(buffer, 0, n);
        }
        return text.toString();
    }

    @Override
    public void destroy() {
        // Holds nothing between messages.
    }
}
