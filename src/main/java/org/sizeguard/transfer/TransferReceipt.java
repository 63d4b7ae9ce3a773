package org.sizeguard.transfer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server answers when a transfer is complete, verified and taken by the application:
 * {@code {"id":…,"bytes":N,"sha256":"<hex>"}}.
 *
 * @param id     the transfer's id
 * @param bytes  its size in bytes
 * @param sha256 its SHA-256 as the server computed it, 64 lowercase hex digits
 */
public record TransferReceipt(String id, long bytes, String sha256) {

    /** The receipt as the server sends it. */
    public String toJson() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("id", id);
        members.put("bytes", bytes);
        members.put("sha256", sha256);
        return FlatJson.write(members);
    }

    /**
     * The receipt in {@code json}, or {@code null} if {@code json} is not one (a control message with a
     * {@code "type"}).
     *
     * @throws IllegalArgumentException if {@code json} is not a flat JSON object
     */
    public static TransferReceipt parse(String json) {
        Map<String, Object> object = FlatJson.read(json);
        if (object.containsKey("type") || !(object.get("id") instanceof String id)
                || !(object.get("bytes") instanceof Long bytes) || !(object.get("sha256") instanceof String sha256)) {
            return null;
        }
        return new TransferReceipt(id, bytes, sha256);
    }
}
