package org.sizeguard.internal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.logging.Logger;

import org.sizeguard.InvalidConfigurationException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.ServerLimits;
import org.sizeguard.SizePolicy;
import org.sizeguard.SizeguardProperties.ServerSetting;
import org.sizeguard.SizeguardProperties.Setting;
import org.sizeguard.SizeguardProperties;
import org.sizeguard.StructureLimits;
import org.sizeguard.TransferLimits;

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
        long buffered = server(ServerSetting.MAX_BUFFERED_BYTES)
                .map(value -> ByteSize.parse(ServerSetting.MAX_BUFFERED_BYTES.key(), value))
                .orElseGet(ServerLimits::defaultMaxBufferedBytes);
        long streams = server(ServerSetting.MAX_CONCURRENT_STREAMS)
                .map(value -> WholeNumber.parse(ServerSetting.MAX_CONCURRENT_STREAMS.key(), value, 1_000_000))
                .orElse((long) ServerLimits.DEFAULT_MAX_CONCURRENT_STREAMS);
        long outbound = server(ServerSetting.MAX_OUTBOUND_BUFFERED_BYTES)
                .map(value -> ByteSize.parse(ServerSetting.MAX_OUTBOUND_BUFFERED_BYTES.key(), value))
                .orElse(ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES);
        Duration sendTimeout = server(ServerSetting.SEND_TIMEOUT)
                .map(value -> TimeSpan.parse(ServerSetting.SEND_TIMEOUT.key(), value))
                .orElse(ServerLimits.DEFAULT_SEND_TIMEOUT);
        long sessions = server(ServerSetting.MAX_SESSIONS)
                .map(value -> WholeNumber.parse(ServerSetting.MAX_SESSIONS.key(), value, Integer.MAX_VALUE))
                .orElse(0L);
        long perAddress = server(ServerSetting.MAX_SESSIONS_PER_ADDRESS)
                .map(value -> WholeNumber.parse(ServerSetting.MAX_SESSIONS_PER_ADDRESS.key(), value, Integer.MAX_VALUE))
                .orElse(0L);
        if (buffered == 0) {
            throw new InvalidConfigurationException(ServerSetting.MAX_BUFFERED_BYTES.key(), "0",
                    "the budget must be at least 1 byte");
        }
        if (outbound == 0) {
            throw new InvalidConfigurationException(ServerSetting.MAX_OUTBOUND_BUFFERED_BYTES.key(), "0",
                    "the outbound buffer must be at least 1 byte");
        }
        long transfers = server(ServerSetting.MAX_CONCURRENT_TRANSFERS)
                .map(value -> WholeNumber.parse(ServerSetting.MAX_CONCURRENT_TRANSFERS.key(), value, Integer.MAX_VALUE))
                .orElse((long) ServerLimits.DEFAULT_MAX_CONCURRENT_TRANSFERS);
        long spill = server(ServerSetting.MAX_SPILL_SIZE)
                .map(value -> ByteSize.parse(ServerSetting.MAX_SPILL_SIZE.key(), value))
                .orElse(ServerLimits.DEFAULT_MAX_SPILL_BYTES);
        Path directory = server(ServerSetting.TRANSFER_DIRECTORY)
                .map(value -> directory(ServerSetting.TRANSFER_DIRECTORY.key(), value))
                .orElseGet(() -> ServerLimits.defaultTransferDirectory().resolve(applicationName(contextPath)));
        return new ServerLimits(buffered, (int) streams, outbound, sendTimeout, (int) sessions, (int) perAddress,
                (int) transfers, spill, directory);
    }

    /** A directory name for the application at {@code contextPath}: its context root, {@code ROOT} for "". */
    static String applicationName(String contextPath) {
        String name = contextPath == null ? "" : contextPath.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "ROOT" + name : name;
    }

    /** An absolute directory path, or the configuration error that names {@code where}. */
    static Path directory(String where, String value) {
        try {
            Path path = Path.of(value.trim());
            if (value.isBlank() || !path.isAbsolute()) {
                throw new InvalidConfigurationException(where, value, "must be an absolute directory path");
            }
            return path;
        } catch (InvalidPathException invalid) {
            throw new InvalidConfigurationException(where, value, "is not a path: " + invalid.getReason());
        }
    }

    private java.util.Optional<String> server(ServerSetting setting) {
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
        Map<Setting, String> annotated = new EnumMap<>(Setting.class);
        annotatedMaxMessageSizes.forEach((kind, size) -> annotated.put(kind == MessageKind.TEXT
                ? Setting.MAX_TEXT_MESSAGE_SIZE : Setting.MAX_BINARY_MESSAGE_SIZE, Long.toString(size)));
        if (annotation != null) {
            for (Setting setting : Setting.values()) {
                String value = annotatedValue(annotation, setting);
                if (!value.isBlank()) {
                    annotated.put(setting, value);
                }
            }
        }
        return resolve(name, annotated, "@SizePolicy on " + endpointClass.getName());
    }

    /** The value {@code annotation} gives {@code setting}: its attribute {@link Setting#annotationAttribute()}. */
    static String annotatedValue(SizePolicy annotation, Setting setting) {
        try {
            return (String) SizePolicy.class.getMethod(setting.annotationAttribute()).invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("@SizePolicy has no attribute " + setting.annotationAttribute(), e);
        }
    }

    private MessageSizePolicy resolve(String name, Map<Setting, String> annotated) {
        return resolve(name, annotated, "annotation");
    }

    private MessageSizePolicy resolve(String name, Map<Setting, String> annotated, String annotationOrigin) {
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new InvalidConfigurationException("policy name", name, "a policy name must be non-empty and "
                    + "must not contain '.'");
        }
        boolean isDefault = MessageSizePolicy.DEFAULT_NAME.equals(name);
        Resolution resolution = new Resolution(name, annotated, annotationOrigin);
        long text = resolution.size(Setting.MAX_TEXT_MESSAGE_SIZE,
                isDefault ? MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES : defaultPolicy.maxTextBytes());
        long binary = resolution.size(Setting.MAX_BINARY_MESSAGE_SIZE,
                isDefault ? MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES : defaultPolicy.maxBinaryBytes());
        long textStream = resolution.size(Setting.MAX_TEXT_STREAM_SIZE, text);
        long binaryStream = resolution.size(Setting.MAX_BINARY_STREAM_SIZE, binary);
        Duration timeout = resolution.duration(Setting.MESSAGE_COMPLETION_TIMEOUT,
                isDefault ? MessageSizePolicy.DEFAULT_COMPLETION_TIMEOUT : defaultPolicy.completionTimeout());
        StructureLimits fallback = isDefault ? StructureLimits.DEFAULTS : defaultPolicy.structure();
        StructureLimits structure = new StructureLimits(
                (int) resolution.count(Setting.MAX_NESTING_DEPTH, fallback.maxDepth(), Integer.MAX_VALUE),
                resolution.count(Setting.MAX_ELEMENTS, fallback.maxElements(), Long.MAX_VALUE),
                resolution.size(Setting.MAX_VALUE_SIZE, fallback.maxValueBytes()));
        boolean deflate = resolution.value(Setting.PERMESSAGE_DEFLATE, Switch::parse,
                isDefault ? MessageSizePolicy.DEFAULT_PERMESSAGE_DEFLATE : defaultPolicy.permessageDeflate());
        TransferLimits transfers = isDefault ? TransferLimits.DEFAULTS : defaultPolicy.transfer();
        TransferLimits transfer = new TransferLimits(
                resolution.size(Setting.MAX_TRANSFER_SIZE, transfers.maxTransferBytes()),
                positive(Setting.TRANSFER_CHUNK_SIZE, resolution.size(Setting.TRANSFER_CHUNK_SIZE,
                        transfers.chunkBytes()), name),
                (int) positive(Setting.TRANSFER_WINDOW, resolution.count(Setting.TRANSFER_WINDOW, transfers.window(),
                        1_000_000), name),
                (int) positive(Setting.MAX_TRANSFERS_PER_SESSION, resolution.count(Setting.MAX_TRANSFERS_PER_SESSION,
                        transfers.maxTransfersPerSession(), 1_000_000), name),
                resolution.duration(Setting.TRANSFER_RETENTION, transfers.retention()),
                resolution.duration(Setting.TRANSFER_DEADLINE, transfers.deadline()));
        return new MessageSizePolicy(name, text, binary, textStream, binaryStream, timeout, structure, deflate,
                transfer);
    }

    /** {@code value}, which {@code setting} of policy {@code name} needs to be at least 1. */
    private static long positive(Setting setting, long value, String name) {
        if (value < 1) {
            throw new InvalidConfigurationException(SizeguardProperties.key(name, setting), Long.toString(value),
                    "must be at least 1");
        }
        return value;
    }

    /** Looks up one policy's settings: configured sources, then the annotation, then the fallback. */
    private final class Resolution {
        private final String name;
        private final Map<Setting, String> annotated;
        private final String annotationOrigin;

        Resolution(String name, Map<Setting, String> annotated, String annotationOrigin) {
            this.name = name;
            this.annotated = annotated;
            this.annotationOrigin = annotationOrigin;
        }

        long size(Setting setting, long fallback) {
            return value(setting, ByteSize::parse, fallback);
        }

        long count(Setting setting, long fallback, long max) {
            return value(setting, (where, value) -> WholeNumber.parse(where, value, max), fallback);
        }

        Duration duration(Setting setting, Duration fallback) {
            return value(setting, TimeSpan::parse, fallback);
        }

        /** The configured value, else the annotation's, else {@code fallback}, parsed naming where it came from. */
        private <T> T value(Setting setting, BiFunction<String, String, T> parse, T fallback) {
            String key = SizeguardProperties.key(name, setting);
            return sources.lookup(key).map(found -> parse.apply(key, found.value()))
                    .orElseGet(() -> annotated.containsKey(setting)
                            ? parse.apply(annotationOrigin + " " + setting.suffix(), annotated.get(setting))
                            : fallback);
        }
    }

    private static void validate(ConfigSources sources, Map<String, String> environment) {
        for (String key : sources.keys()) {
            ServerSetting server = serverSettingOf(key);
            if (server != null) {
                for (ConfigSource source : sources.sources()) {
                    source.value(key).ifPresent(value -> parse(server.type(), key + " (" + source.name() + ")", value));
                }
                continue;
            }
            Setting setting = settingOf(key);
            if (setting == null) {
                LOG.warning("SIZEGUARD-004: unknown configuration key " + key + " is ignored");
                continue;
            }
            // The highest-precedence value is the one that counts, but a wrong value anywhere is a mistake
            // the user wants to hear about now rather than when a higher source is removed.
            for (ConfigSource source : sources.sources()) {
                source.value(key).ifPresent(value -> parse(setting.type(), key + " (" + source.name() + ")", value));
            }
        }
        String envPrefix = SizeguardProperties.environmentName(SizeguardProperties.PREFIX);
        environment.forEach((variable, value) -> {
            if (variable.startsWith(envPrefix)) {
                for (Setting setting : Setting.values()) {
                    if (variable.endsWith(SizeguardProperties.environmentName(setting.suffix()))) {
                        parse(setting.type(), variable + " (environment)", value);
                    }
                }
                for (ServerSetting setting : ServerSetting.values()) {
                    if (variable.equals(SizeguardProperties.environmentName(setting.key()))) {
                        parse(setting.type(), variable + " (environment)", value);
                    }
                }
            }
        });
    }

    private static Setting settingOf(String key) {
        for (Setting setting : Setting.values()) {
            if (key.equals(SizeguardProperties.PREFIX + setting.suffix())
                    || key.startsWith("sizeguard.policy.") && key.endsWith("." + setting.suffix())) {
                return setting;
            }
        }
        return null;
    }

    private static ServerSetting serverSettingOf(String key) {
        for (ServerSetting setting : ServerSetting.values()) {
            if (key.equals(setting.key())) {
                return setting;
            }
        }
        return null;
    }

    private static void parse(Setting.Type type, String where, String value) {
        switch (type) {
            case SIZE -> ByteSize.parse(where, value);
            case DURATION -> TimeSpan.parse(where, value);
            case COUNT -> WholeNumber.parse(where, value, Long.MAX_VALUE);
            case SWITCH -> Switch.parse(where, value);
            case PATH -> directory(where, value);
        }
    }
}
