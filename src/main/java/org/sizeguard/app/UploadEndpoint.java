package org.sizeguard.app;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;

/**
 * Takes binary messages of up to 1 GiB (policy {@code upload}: {@code sizeguard.policy.upload.max-binary-stream-size},
 * default 1 GiB; completion timeout 5 minutes) in parts as they arrive, hashing them without ever holding a
 * message, and answers each with {@code {"bytes":N,"sha256":"<hex>"}}.
 */
@ServerEndpoint("/upload")
@SizePolicy(value = "upload", maxBinaryStreamSize = "1GiB", messageCompletionTimeout = "5m")
public class UploadEndpoint {

    private final MessageDigest digest = sha256();
    private long bytes;

    @OnMessage
    public String part(ByteBuffer part, boolean last) {
        bytes += part.remaining();
        digest.update(part);
        if (!last) {
            return null;
        }
        String receipt = "{\"bytes\":" + bytes + ",\"sha256\":\"" + HexFormat.of().formatHex(digest.digest()) + "\"}";
        bytes = 0;
        return receipt;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
