package org.sizeguard.internal.config;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

import org.sizeguard.InvalidConfigurationException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicy;
import org.sizeguard.internal.ServerLimits;

/**
 * Resolves the effective {@link MessageSizePolicy} of a policy name, applying the documented precedence:
 * system property &gt; environment &gt; MicroProfile Config &gt; {@code web.xml} &gt; the endpoint's annotation
 * &gt; the default. A named policy's message limits and timeout default to the default policy's; a policy's
 * stream limits default to its own message limits.
 */
public final class PolicyResolver {

    private static final Logger LOG = Logger.getLogger(PolicyResolver.class.getName());

    private final ConfigSources sources;
    private final MessageSizePolicy defaultPolicy;

    /**
     * Reads the default policy and checks every Sizeguard key present in any source.
     *
     * @param environment the process environment, whose {@code SIZEGUARD_*} variables are checked too
     * @throws InvalidConfigurationException naming the first key whose value is not valid
     */
    public PolicyResolver(ConfigSources sources, Map<String, String> environment) {
        this.sources = sources;
        validate(sources, environment);
        this.defaultPolicy = resolve(MessageSizePolicy.DEFAULT_NAME, Map.of());
    }

    public MessageSizePolicy defaultPolicy() {
        return defaultPolicy;
    }

    /** The application-wide limits, from the configured sources or the built-in defaults. */
    public ServerLimits serverLimits() {
        return serverLimits("");
    }

    /**
     * The application-wide limits of the application at {@code contextPath}, from the configured sources or the
     * built-in defaults; the default transfer directory is the application's own,
     * {@code sizeguard-transfers/<context root>} in {@code java.io.tmpdir}.
     */
    public ServerLimits serverLimits(String contextPath) {
        Map<ServerSetting, Long> values = new EnumMap<>(ServerSetting.class);
        for (ServerSetting setting : ServerSetting.values()) {
            if (setting.type() != ValueType.PATH) {
                values.put(setting, server(setting).map(value -> setting.parse(setting.key(), value))
                        .orElseGet(setting::builtIn));
            }
        }
        Path directory = server(ServerSetting.TRANSFER_DIRECTORY)
                .map(value -> DirectoryPath.parse(ServerSetting.TRANSFER_DIRECTORY.key(), value))
                .orElseGet(() -> ServerLimits.defaultTransferDirectory().resolve(applicationName(contextPath)));
        return ServerSetting.limits(values, directory);
    }

    /** A directory name for the application at {@code contextPath}: its context root, {@code ROOT} for "". */
    static String applicationName(String contextPath) {
        String name = contextPath == null ? "" : contextPath.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "ROOT" + name : name;
    }

    private Optional<String> server(ServerSetting setting) {
        return sources.lookup(setting.key()).map(found -> found.value());
    }

    /** The policy named {@code name} as configured, without annotation values. */
    public MessageSizePolicy named(String name) {
        return resolve(name, Map.of());
    }

    /**
     * The policy of an endpoint class: the name its {@link SizePolicy} selects (or the default), with the
     * annotation's values and {@code annotatedMaxMessageSizes} (from {@code @OnMessage(maxMessageSize)}) at
     * annotation precedence; {@code @SizePolicy} values win over {@code @OnMessage} ones.
     */
    public MessageSizePolicy forEndpoint(Class<?> endpointClass, Map<MessageKind, Long> annotatedMaxMessageSizes) {
        SizePolicy annotation = endpointClass.getAnnotation(SizePolicy.class);
        String name = annotation == null ? MessageSizePolicy.DEFAULT_NAME : annotation.value();
        Map<PolicySetting, String> annotated = new EnumMap<>(PolicySetting.class);
        annotatedMaxMessageSizes.forEach((kind, size) -> annotated.put(kind == MessageKind.TEXT
                ? PolicySetting.MAX_TEXT_MESSAGE_SIZE : PolicySetting.MAX_BINARY_MESSAGE_SIZE, Long.toString(size)));
        if (annotation != null) {
            for (PolicySetting setting : PolicySetting.values()) {
                String value = annotatedValue(annotation, setting);
                if (!value.isBlank()) {
                    annotated.put(setting, value);
                }
            }
        }
        return resolve(name, annotated, "@SizePolicy on " + endpointClass.getName());
    }

    /** The value {@code annotation} gives {@code setting}: its attribute {@link PolicySetting#annotationAttribute()}. */
    static String annotatedValue(SizePolicy annotation, PolicySetting setting) {
        try {
            return (String) SizePolicy.class.getMethod(setting.annotationAttribute()).invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("@SizePolicy has no attribute " + setting.annotationAttribute(), e);
        }
    }

    private MessageSizePolicy resolve(String name, Map<PolicySetting, String> annotated) {
        return resolve(name, annotated, "annotation");
    }

    /**
     * Every setting of policy {@code name}, in declaration order: the configured value, else the annotation's, else
     * its fallback ({@link PolicySetting#fallback}), each parsed within its bounds naming where it came from.
     */
    private MessageSizePolicy resolve(String name, Map<PolicySetting, String> annotated, String annotationOrigin) {
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new InvalidConfigurationException("policy name", name, "a policy name must be non-empty and "
                    + "must not contain '.'");
        }
        MessageSizePolicy inherited = MessageSizePolicy.DEFAULT_NAME.equals(name) ? null : defaultPolicy;
        Map<PolicySetting, Long> values = new EnumMap<>(PolicySetting.class);
        for (PolicySetting setting : PolicySetting.values()) {
            String key = setting.key(name);
            long value = sources.lookup(key).map(found -> setting.parse(key, found.value()))
                    .orElseGet(() -> annotated.containsKey(setting)
                            ? setting.parse(annotationOrigin + " " + setting.suffix(), annotated.get(setting))
                            : setting.fallback(values, inherited));
            values.put(setting, value);
        }
        return PolicySetting.policy(name, values);
    }

    private static void validate(ConfigSources sources, Map<String, String> environment) {
        for (String key : sources.keys()) {
            Optional<BiConsumer<String, String>> check = checkOf(key);
            if (check.isEmpty()) {
                LOG.warning("SIZEGUARD-004: unknown configuration key " + key + " is ignored");
                continue;
            }
            // The highest-precedence value is the one that counts, but a wrong value anywhere is a mistake
            // the user wants to hear about now rather than when a higher source is removed.
            for (ConfigSource source : sources.sources()) {
                source.value(key).ifPresent(value -> check.get().accept(key + " (" + source.name() + ")", value));
            }
        }
        String envPrefix = ConfigSources.environmentName(ConfigSources.PREFIX);
        environment.forEach((variable, value) -> {
            if (variable.startsWith(envPrefix)) {
                String where = variable + " (environment)";
                for (PolicySetting setting : PolicySetting.values()) {
                    if (variable.endsWith(ConfigSources.environmentName(setting.suffix()))) {
                        setting.parse(where, value);
                    }
                }
                for (ServerSetting setting : ServerSetting.values()) {
                    if (variable.equals(ConfigSources.environmentName(setting.key()))) {
                        setting.parse(where, value);
                    }
                }
            }
        });
    }

    /** How a value of {@code key} is checked: the parser of the setting it names, if it names one. */
    private static Optional<BiConsumer<String, String>> checkOf(String key) {
        for (ServerSetting setting : ServerSetting.values()) {
            if (key.equals(setting.key())) {
                return Optional.of(setting::parse);
            }
        }
        for (PolicySetting setting : PolicySetting.values()) {
            if (setting.isKeyOf(key)) {
                return Optional.of(setting::parse);
            }
        }
        return Optional.empty();
    }
}
