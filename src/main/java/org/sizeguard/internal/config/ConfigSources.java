package org.sizeguard.internal.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;


/**
 * The configuration sources in precedence order, highest first: system properties, environment,
 * MicroProfile Config (when the server has it), {@code web.xml} context parameters. Annotation values and
 * built-in defaults come after these and are applied by {@link PolicyResolver}.
 */
public final class ConfigSources {

    private static final Logger LOG = Logger.getLogger(ConfigSources.class.getName());

    /** Prefix shared by every key of Sizeguard's. */
    public static final String PREFIX = "sizeguard.";

    private final List<ConfigSource> sources;

    public ConfigSources(List<ConfigSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * The sources of a deployed application: system properties, environment, MicroProfile Config if present,
     * then the context parameters that {@code initParameters} returns ({@code null} for absent).
     */
    public static ConfigSources forDeployment(Function<String, String> initParameters, Set<String> initParameterNames) {
        List<ConfigSource> list = new ArrayList<>();
        list.add(systemProperties());
        list.add(environment(System.getenv()));
        microProfile().ifPresent(list::add);
        list.add(map("web.xml context-param", initParameters, initParameterNames));
        return new ConfigSources(list);
    }

    /** The first value of {@code key} in precedence order, with the source it came from. */
    public Optional<Setting> lookup(String key) {
        for (ConfigSource source : sources) {
            Optional<String> value = source.value(key);
            if (value.isPresent()) {
                return Optional.of(new Setting(key, value.get(), source.name()));
            }
        }
        return Optional.empty();
    }

    /** Every Sizeguard key present in any source, for up-front validation. */
    public Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        sources.forEach(source -> keys.addAll(source.keys()));
        return Collections.unmodifiableSet(keys);
    }

    public List<ConfigSource> sources() {
        return sources;
    }

    /** A value found for a key, and where. */
    public record Setting(String key, String value, String source) {
    }

    static ConfigSource systemProperties() {
        return new ConfigSource() {
            @Override
            public String name() {
                return "system property";
            }

            @Override
            public Optional<String> value(String key) {
                return Optional.ofNullable(System.getProperty(key));
            }

            @Override
            public Set<String> keys() {
                Set<String> keys = new TreeSet<>();
                for (String name : System.getProperties().stringPropertyNames()) {
                    if (name.startsWith(PREFIX)) {
                        keys.add(name);
                    }
                }
                return keys;
            }
        };
    }

    /**
     * Environment variables, looked up under {@link #environmentName(String)}. Their names
     * cannot be mapped back to keys unambiguously, so {@link ConfigSource#keys()} is empty and
     * {@link PolicyResolver} validates every {@code SIZEGUARD_*} variable instead.
     */
    static ConfigSource environment(Map<String, String> environment) {
        return new ConfigSource() {
            @Override
            public String name() {
                return "environment";
            }

            @Override
            public Optional<String> value(String key) {
                return Optional.ofNullable(environment.get(environmentName(key)));
            }

            @Override
            public Set<String> keys() {
                return Set.of();
            }
        };
    }

    /** A source backed by a lookup function, e.g. the servlet context's init parameters. */
    public static ConfigSource map(String name, Function<String, String> lookup, Set<String> names) {
        Set<String> keys = new TreeSet<>();
        for (String key : names) {
            if (key.startsWith(PREFIX)) {
                keys.add(key);
            }
        }
        return new ConfigSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> value(String key) {
                return Optional.ofNullable(lookup.apply(key));
            }

            @Override
            public Set<String> keys() {
                return keys;
            }
        };
    }

    private static Optional<ConfigSource> microProfile() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            LOG.fine("MicroProfile Config is not available; Sizeguard reads no MicroProfile Config source");
            return Optional.empty();
        }
        try {
            return Optional.of(MicroProfileConfigSource.create());
        } catch (RuntimeException | LinkageError unusable) {
            LOG.log(Level.WARNING, "SIZEGUARD-003: MicroProfile Config is present but unusable; ignoring it",
                    unusable);
            return Optional.empty();
        }
    }

    /**
     * The environment variable that carries {@code key}: upper case, {@code .} and {@code -} replaced by
     * {@code _}, e.g. {@code SIZEGUARD_MAX_TEXT_MESSAGE_SIZE}.
     */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
