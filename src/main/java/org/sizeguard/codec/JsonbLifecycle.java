package org.sizeguard.codec;

import jakarta.json.bind.Jsonb;

/** Closes the {@link Jsonb} of a JSON decoder or encoder when the container destroys it. */
final class JsonbLifecycle {

    private JsonbLifecycle() {
    }

    /** Closes {@code jsonb} if there is one; a failure is dropped: the instance is going away, no client can be told. */
    static void close(Jsonb jsonb) {
        if (jsonb == null) {
            return;
        }
        try {
            jsonb.close();
        } catch (Exception e) {
            // Nothing to report to anyone: the decoder or encoder is being destroyed.
        }
    }
}
