package org.sizeguard.internal;

import java.util.function.Function;

/**
 * Hands each part to a method that takes {@code boolean last}, once the part has passed the count: the method holds
 * what it keeps, Sizeguard holds nothing. The limit is the stream cap of the kind for an author's method, the message
 * limit for the transfer protocol's chunks.
 */
final class PartialMessageSink<P> extends MessageSink<P> {

    private final Function<P, Object> argument;

    /** @param argument the part as the method takes it (the buffer, or a copy of its bytes) */
    PartialMessageSink(PartFormat<P, ?> format, Limits limits, GuardRuntime runtime, EndpointCounters counters,
            SessionRejection rejection,
            BoundMethod method, Function<P, Object> argument) {
        super(format, limits, runtime, counters, rejection, method);
        this.argument = argument;
    }

    @Override
    boolean keepsWhole() {
        return false;
    }

    @Override
    void arrived(P part, P whole, boolean last) {
        method.deliver(argument.apply(part), last);
    }
}
