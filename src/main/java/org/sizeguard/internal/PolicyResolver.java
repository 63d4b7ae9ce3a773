package org.sizeguard.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;

import org.sizeguard.ByteSize;
import org.sizeguard.InvalidConfigurationException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicy;
import org.sizeguard.SizeguardProperties;

/**
 * Resolves the effective {@link MessageSizePolicy} of a policy name, applying the precedence of DESIGN.md:
 * system property &gt; environment &gt; MicroProfile Config &gt; {@code web.xml} &gt; the endpoint's annotation
 * &gt; the default. The default of a named policy's limit is the default policy's limit.
 */
public final class PolicyResolver {

    private static final Logger LOG = Logger.getLogger(PolicyResolver.class.getName());
    private static final String SIZE_SUFFIX = "-size";

    private final ConfigSources sources;
    private final MessageSizePolicy defaultPolicy;

    /**
     * Reads the default policy and checks every Sizeguard key present in any source.
     *
     * @param environment the process environment, whose {@code SIZEGUARD_*_SIZE} variables are checked too
     * @throws InvalidConfigurationException naming the first key whose value is not valid
     */
    public PolicyResolver(ConfigSources sources, Map<String, String> environment) {
        this.sources = sources;
        validate(sources, environment);
        this.defaultPolicy = new MessageSizePolicy(MessageSizePolicy.DEFAULT_NAME,
                configured(SizeguardProperties.MAX_TEXT_MESSAGE_SIZE, MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES),
                configured(SizeguardProperties.MAX_BINARY_MESSAGE_SIZE, MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES));
    }

    public MessageSizePolicy defaultPolicy() {
        return defaultPolicy;
    }

    /** The policy named {@code name} as configured, without annotation values. */
    public MessageSizePolicy named(String name) {
        return resolve(name, Map.of());
    }

    /**
     * The policy of an endpoint class: the name its {@link SizePolicy} selects (or the default), with the
     * annotation's sizes and {@code annotatedMaxMessageSizes} (from {@code @OnMessage(maxMessageSize)}) at
     * annotation precedence; {@code @SizePolicy} sizes win over {@code @OnMessage} ones.
     */
    public MessageSizePolicy forEndpoint(Class<?> endpointClass, Map<MessageKind, Long> annotatedMaxMessageSizes) {
        SizePolicy annotation = endpointClass.getAnnotation(SizePolicy.class);
        String name = annotation == null ? MessageSizePolicy.DEFAULT_NAME : annotation.value();
        Map<MessageKind, Long> annotated = new EnumMap<>(MessageKind.class);
        annotated.putAll(annotatedMaxMessageSizes);
        if (annotation != null) {
            String where = "@SizePolicy on " + endpointClass.getName();
            if (!annotation.maxTextMessageSize().isBlank()) {
                annotated.put(MessageKind.TEXT, ByteSize.parse(where + " maxTextMessageSize",
                        annotation.maxTextMessageSize()));
            }
            if (!annotation.maxBinaryMessageSize().isBlank()) {
                annotated.put(MessageKind.BINARY, ByteSize.parse(where + " maxBinaryMessageSize",
                        annotation.maxBinaryMessageSize()));
            }
        }
        return resolve(name, annotated);
    }

    private MessageSizePolicy resolve(String name, Map<MessageKind, Long> annotated) {
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new InvalidConfigurationException("policy name", name, "a policy name must be non-empty and "
                    + "must not contain '.'");
        }
        Map<MessageKind, Long> limits = new EnumMap<>(MessageKind.class);
        for (MessageKind kind : MessageKind.values()) {
            long fallback = annotated.getOrDefault(kind, MessageSizePolicy.DEFAULT_NAME.equals(name)
                    ? builtIn(kind) : defaultPolicy.limit(kind));
            limits.put(kind, configured(SizeguardProperties.maxMessageSize(name, kind), fallback));
        }
        return new MessageSizePolicy(name, limits.get(MessageKind.TEXT), limits.get(MessageKind.BINARY));
    }

    private static long builtIn(MessageKind kind) {
        return kind == MessageKind.TEXT ? MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES
                : MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES;
    }

    private long configured(String key, long fallback) {
        return sources.lookup(key).map(setting -> ByteSize.parse(key, setting.value())).orElse(fallback);
    }

    private static void validate(ConfigSources sources, Map<String, String> environment) {
        for (String key : sources.keys()) {
            if (key.endsWith(SIZE_SUFFIX)) {
                // The highest-precedence value is the one that counts, but a wrong value anywhere is a mistake
                // the user wants to hear about now rather than when a higher source is removed.
                for (ConfigSource source : sources.sources()) {
                    source.value(key).ifPresent(value -> ByteSize.parse(key + " (" + source.name() + ")", value));
                }
            } else {
                LOG.warning("SIZEGUARD-004: unknown configuration key " + key + " is ignored");
            }
        }
        String envPrefix = SizeguardProperties.environmentName(SizeguardProperties.PREFIX);
        environment.forEach((variable, value) -> {
            if (variable.startsWith(envPrefix) && variable.endsWith("_SIZE")) {
                ByteSize.parse(variable + " (environment)", value);
            }
        });
    }
}
