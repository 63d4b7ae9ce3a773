package org.sizeguard.internal.adapter.tyrus;

import java.util.List;

import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.adapter.ConnectionListener;

/** A listener for tests that care only about what the relay refuses. */
final class Refusals {

    private Refusals() {
    }

    /** A listener that adds every refusal to {@code seen} and ignores the rest. */
    static ConnectionListener into(List<SizeguardCloseException> seen) {
        return new ConnectionListener() {
            @Override
            public void messageStarted(MessageKind kind) {
            }

            @Override
            public void refused(SizeguardCloseException refusal) {
                seen.add(refusal);
            }
        };
    }
}
