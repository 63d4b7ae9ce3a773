package org.sizeguard.internal;

import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardStats;

/**
 * Where {@link SizePolicies#current()} and {@link SizeguardStats#current()} find the deployed application's
 * registries: installed by {@link SizeguardInitializer} when the application starts and forgotten when it stops.
 * The core is loaded by each application's own class loader, so each application has its own. Thread-safe.
 */
public final class DeployedApplication {

    private static volatile SizePolicies policies;
    private static volatile SizeguardStats stats;

    private DeployedApplication() {
    }

    /** Makes {@code deployed} the current policies, or forgets them with {@code null}. */
    public static void install(SizePolicies deployed) {
        policies = deployed;
    }

    /** Makes {@code deployed} the current counts, or forgets them with {@code null}. */
    public static void install(SizeguardStats deployed) {
        stats = deployed;
    }

    /** @throws IllegalStateException before Sizeguard has initialised the application */
    public static SizePolicies policies() {
        return require(policies);
    }

    /** @throws IllegalStateException before Sizeguard has initialised the application */
    public static SizeguardStats stats() {
        return require(stats);
    }

    private static <T> T require(T installed) {
        if (installed == null) {
            throw new IllegalStateException("Sizeguard has not initialised this application (yet)");
        }
        return installed;
    }
}
