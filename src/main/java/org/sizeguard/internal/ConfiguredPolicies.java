package org.sizeguard.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;
import org.sizeguard.internal.config.PolicySetting;

/** The {@link SizePolicies} resolved from the configuration when an application deploys. Thread-safe. */
public final class ConfiguredPolicies implements SizePolicies {

    private final MessageSizePolicy defaultPolicy;
    private final Map<String, MessageSizePolicy> byEndpointPath;
    private final Map<Class<?>, MessageSizePolicy> byEndpointClass;
    private final Function<String, MessageSizePolicy> namedResolver;
    private final Set<String> transferPaths;
    private final Map<String, MessageSizePolicy> named = new ConcurrentHashMap<>();

    /**
     * @param defaultPolicy   the policy of endpoints that select none
     * @param byEndpointClass each guarded endpoint class and its policy
     * @param byEndpointPath  each guarded endpoint path template and its policy, in deployment order
     * @param namedResolver   resolves a named policy from the configuration
     */
    public ConfiguredPolicies(MessageSizePolicy defaultPolicy, Map<Class<?>, MessageSizePolicy> byEndpointClass,
            Map<String, MessageSizePolicy> byEndpointPath, Function<String, MessageSizePolicy> namedResolver) {
        this(defaultPolicy, byEndpointClass, byEndpointPath, namedResolver, Set.of());
    }

    /** @param transferPaths the path templates of the endpoints that take chunked transfers */
    public ConfiguredPolicies(MessageSizePolicy defaultPolicy, Map<Class<?>, MessageSizePolicy> byEndpointClass,
            Map<String, MessageSizePolicy> byEndpointPath, Function<String, MessageSizePolicy> namedResolver,
            Set<String> transferPaths) {
        this.defaultPolicy = defaultPolicy;
        this.byEndpointClass = Map.copyOf(byEndpointClass);
        this.byEndpointPath = Collections.unmodifiableMap(new LinkedHashMap<>(byEndpointPath));
        this.namedResolver = namedResolver;
        this.transferPaths = Set.copyOf(transferPaths);
    }

    @Override
    public boolean takesTransfers(String path) {
        return transferPaths.contains(path);
    }

    /** Only {@code policy}, for every endpoint and every name. */
    public static ConfiguredPolicies only(MessageSizePolicy policy) {
        return new ConfiguredPolicies(policy, Map.of(), Map.of(), name -> policy);
    }

    @Override
    public MessageSizePolicy defaultPolicy() {
        return defaultPolicy;
    }

    @Override
    public Optional<MessageSizePolicy> forEndpoint(Class<?> endpointClass) {
        return Optional.ofNullable(byEndpointClass.get(endpointClass));
    }

    @Override
    public Map<String, MessageSizePolicy> endpoints() {
        return byEndpointPath;
    }

    @Override
    public Map<String, Object> settings(MessageSizePolicy policy) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (PolicySetting setting : PolicySetting.values()) {
            settings.put(setting.reportName(), setting.reportValueIn(policy));
        }
        return Collections.unmodifiableMap(settings);
    }

    @Override
    public MessageSizePolicy named(String name) {
        if (MessageSizePolicy.DEFAULT_NAME.equals(name)) {
            return defaultPolicy;
        }
        return named.computeIfAbsent(name, namedResolver);
    }
}
