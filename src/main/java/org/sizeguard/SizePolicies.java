package org.sizeguard;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.spi.CDI;

/**
 * The effective size policies of one deployed application: the default policy, every endpoint's policy and
 * any named policy. Fixed when the application deploys (named policies that no endpoint uses are resolved on first
 * request and cached); thread-safe, read-only.
 * <p>
 * Available through CDI ({@code @Inject SizePolicies}) and from {@link #current()}.
 */
public interface SizePolicies {

    /**
     * The policies of the application whose classes this interface was loaded with, once it has deployed. The core
     * is loaded by each application's own class loader (from {@code WEB-INF/classes} or {@code WEB-INF/lib}),
     * so every application sees its own policies.
     *
     * Looked up through CDI ({@link CDI#current()}), as {@code @Inject} would.
     *
     * @throws IllegalStateException before Sizeguard has initialised the application, or where CDI is not available
     */
    static SizePolicies current() {
        return CDI.current().select(SizePolicies.class).get();
    }

    MessageSizePolicy defaultPolicy();

    /** The policy of a guarded endpoint class, if Sizeguard deployed it. */
    Optional<MessageSizePolicy> forEndpoint(Class<?> endpointClass);

    /** Every guarded endpoint's path template and policy, in deployment order. */
    Map<String, MessageSizePolicy> endpoints();

    /** The policy called {@code name} as configured (without any endpoint's annotation values). */
    MessageSizePolicy named(String name);

    /**
     * Every setting of {@code policy} under the name {@code /sizeguard/limits} reports it by, in the order of the
     * README's configuration table: sizes in bytes, durations in milliseconds, counts as {@link Long}, on/off
     * settings as {@link Boolean}. The transfer chunk size is the one a client is told (within the binary limit).
     */
    Map<String, Object> settings(MessageSizePolicy policy);

    /**
     * Whether the guarded endpoint at path template {@code path} takes chunked transfers (it has an
     * {@code @OnTransfer} method), to which its policy's transfer limits apply.
     */
    default boolean takesTransfers(String path) {
        return false;
    }
}
