package org.sizeguard.internal;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardStats;

/**
 * Where the deployed application's registries are kept for CDI's producers ({@link SizePolicyProducer}, behind
 * {@link SizePolicies#current()} and {@link SizeguardStats#current()}), for decoders that are no CDI beans (their
 * default policy) and for decoders that hold bytes of their own (the inflating decoders, its {@link MemoryBudget}):
 * installed by {@link SizeguardInitializer} when the application starts and forgotten when it stops.
 * The core is loaded by each application's own class loader, so each application has its own. Thread-safe.
 */
public final class DeployedApplication {

    private static volatile SizePolicies policies;
    private static volatile SizeguardStats stats;
    private static volatile MemoryBudget budget;

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

    /** Makes {@code deployed} the current budget, or forgets it with {@code null}. */
    public static void install(MemoryBudget deployed) {
        budget = deployed;
    }

    /**
     * The server-wide budget of the deployed application; before Sizeguard has initialised it (a decoder used on its
     * own, in a test or a tool), a budget that never refuses.
     */
    public static MemoryBudget budget() {
        MemoryBudget installed = budget;
        return installed != null ? installed : Unbudgeted.BUDGET;
    }

    /**
     * The policy that applies where no other is chosen: the deployed application's default policy; before Sizeguard
     * has initialised the application (a decoder used on its own, in a test or a tool, or a connection the container
     * opened before), the built-in {@link MessageSizePolicy#DEFAULTS}. The one answer to "which policy, if none was
     * given", for the decoders and the adapters alike. Any thread.
     */
    public static MessageSizePolicy defaultPolicy() {
        SizePolicies installed = policies;
        return installed != null ? installed.defaultPolicy() : MessageSizePolicy.DEFAULTS;
    }

    /** @throws IllegalStateException before Sizeguard has initialised the application */
    public static SizePolicies policies() {
        return require(policies);
    }

    /** @throws IllegalStateException before Sizeguard has initialised the application */
    public static SizeguardStats stats() {
        return require(stats);
    }

    /**
     * Counts {@code bytes} more inflated (permessage-deflate, inflating decoders) in the deployed application's
     * stats; nothing before Sizeguard has initialised it. Any thread.
     */
    public static void countInflated(long bytes) {
        if (stats instanceof LiveStats live) {
            live.inflated(bytes);
        }
    }

    private static <T> T require(T installed) {
        if (installed == null) {
            throw new IllegalStateException("Sizeguard has not initialised this application (yet)");
        }
        return installed;
    }

    /** Created only when first asked for. */
    private static final class Unbudgeted {
        static final MemoryBudget BUDGET = MemoryBudget.unlimited();
    }
}
