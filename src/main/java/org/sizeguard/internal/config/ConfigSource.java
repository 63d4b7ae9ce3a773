package org.sizeguard.internal.config;

import java.util.Optional;
import java.util.Set;

/**
 * One place Sizeguard's configuration keys are read from. Implementations are immutable snapshots or thin
 * views that are safe to call from any thread.
 */
public interface ConfigSource {

    /** How log lines and error messages name this source, e.g. {@code "system property"}. */
    String name();

    /** The raw value of {@code key}, if this source has one. */
    Optional<String> value(String key);

    /** The Sizeguard keys this source holds (those that start with {@code sizeguard.}), for validation. */
    Set<String> keys();
}
