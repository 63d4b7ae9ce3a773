package org.sizeguard;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The effective size policies of one deployed application: the default policy, every endpoint's policy and
 * any named policy. Built once when the application deploys and immutable afterwards (named policies that no
 * endpoint uses are resolved on first request and cached); thread-safe.
 * <p>
 * Available through CDI ({@code @Inject SizePolicies}) and from {@link #current()}.
 */
public final class SizePolicies {

    private static volatile SizePolicies current;

    private final MessageSizePolicy defaultPolicy;
    private final Map<String, MessageSizePolicy> byEndpointPath;
    private final Map<Class<?>, MessageSizePolicy> byEndpointClass;
    private final Function<String, MessageSizePolicy> namedResolver;
    private final Map<String, MessageSizePolicy> named = new ConcurrentHashMap<>();

    /**
     * @param defaultPolicy   the policy of endpoints that select none
     * @param byEndpointClass each guarded endpoint class and its policy
     * @param byEndpointPath  each guarded endpoint path template and its policy, in deployment order
     * @param namedResolver   resolves a named policy from the configuration
     */
    public SizePolicies(MessageSizePolicy defaultPolicy, Map<Class<?>, MessageSizePolicy> byEndpointClass,
            Map<String, MessageSizePolicy> byEndpointPath, Function<String, MessageSizePolicy> namedResolver) {
        this.defaultPolicy = defaultPolicy;
        this.byEndpointClass = Map.copyOf(byEndpointClass);
        this.byEndpointPath = Collections.unmodifiableMap(new LinkedHashMap<>(byEndpointPath));
        this.namedResolver = namedResolver;
    }

    /**
     * The policies of the application whose classes this class was loaded with, once it has deployed. The core
     * is loaded by each application's own class loader (from {@code WEB-INF/classes} or {@code WEB-INF/lib}),
     * so every application sees its own policies.
     *
     * @throws IllegalStateException before Sizeguard has initialised the application
     */
    public static SizePolicies current() {
        SizePolicies policies = current;
        if (policies == null) {
            throw new IllegalStateException("Sizeguard has not initialised this application (yet)");
        }
        return policies;
    }

    /** Makes {@code policies} the {@link #current()} ones, or forgets them with {@code null}. */
    public static void install(SizePolicies policies) {
        current = policies;
    }

    public MessageSizePolicy defaultPolicy() {
        return defaultPolicy;
    }

    /** The policy of a guarded endpoint class, if Sizeguard deployed it. */
    public Optional<MessageSizePolicy> forEndpoint(Class<?> endpointClass) {
        return Optional.ofNullable(byEndpointClass.get(endpointClass));
    }

    /** Every guarded endpoint's path template and policy. */
    public Map<String, MessageSizePolicy> endpoints() {
        return byEndpointPath;
    }

    /** The policy called {@code name} as configured (without any endpoint's annotation values). */
    public MessageSizePolicy named(String name) {
        if (MessageSizePolicy.DEFAULT_NAME.equals(name)) {
            return defaultPolicy;
        }
        return named.computeIfAbsent(name, namedResolver);
    }
}
