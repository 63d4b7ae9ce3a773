package org.sizeguard.internal.config;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * MicroProfile Config as a source. Loaded only after {@link ConfigSources} has checked that the server
 * provides the API, so that Sizeguard runs on servers without it.
 */
final class MicroProfileConfigSource implements ConfigSource {

    private final Config config;

    private MicroProfileConfigSource(Config config) {
        this.config = config;
    }

    static ConfigSource create() {
        return new MicroProfileConfigSource(ConfigProvider.getConfig());
    }

    @Override
    public String name() {
        return "MicroProfile Config";
    }

    @Override
    public Optional<String> value(String key) {
        return config.getOptionalValue(key, String.class);
    }

    @Override
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(ConfigSources.PREFIX)) {
                keys.add(name);
            }
        }
        return keys;
    }
}
