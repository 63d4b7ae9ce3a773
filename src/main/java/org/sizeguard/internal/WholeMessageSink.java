package org.sizeguard.internal;

import org.sizeguard.SizeguardCloseException;

/**
 * Joins each message within its limit and hands it to the method whole: as it is ({@code String},
 * {@code ByteBuffer}), copied ({@code byte[]}) or decoded (a declared decoder, or Sizeguard's own for a primitive).
 * A message that cannot be decoded is rejected with 1007.
 */
final class WholeMessageSink<P> extends MessageSink<P> {

    private final Decoding.Whole<P> payload;

    WholeMessageSink(PartFormat<P, ?> format, Limits limits, GuardRuntime runtime, EndpointCounters counters,
            SessionRejection rejection,
            BoundMethod method, Decoding.Whole<P> payload) {
        super(format, limits, runtime, counters, rejection, method);
        this.payload = payload;
    }

    @Override
    boolean keepsWhole() {
        return true;
    }

    @Override
    void arrived(P part, P whole, boolean last) {
        if (whole == null) {
            return;
        }
        Object argument;
        try {
            argument = payload.payload(whole);
        } catch (SizeguardCloseException undecodable) {
            rejection.reject(kind, measure(whole), undecodable);
            return;
        }
        method.deliver(argument, true);
    }
}
