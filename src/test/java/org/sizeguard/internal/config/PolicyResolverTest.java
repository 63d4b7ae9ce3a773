package org.sizeguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sizeguard.InvalidConfigurationException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicy;
import org.sizeguard.StructureLimits;

class PolicyResolverTest {

    private final Map<String, String> systemProperties = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();
    private final Map<String, String> microProfile = new HashMap<>();
    private final Map<String, String> webXml = new HashMap<>();

    @SizePolicy(value = "upload", maxBinaryMessageSize = "1GiB")
    static class UploadEndpoint {
    }

    @SizePolicy(maxTextMessageSize = "128KiB")
    static class AnnotatedDefaultEndpoint {
    }

    static class PlainEndpoint {
    }

    @SizePolicy(value = "chat", maxTextMessageSize = "not a size")
    static class BrokenAnnotationEndpoint {
    }

    private PolicyResolver resolver() {
        List<ConfigSource> sources = new ArrayList<>();
        sources.add(source("system property", systemProperties));
        sources.add(ConfigSources.environment(environment));
        sources.add(source("MicroProfile Config", microProfile));
        sources.add(source("web.xml context-param", webXml));
        return new PolicyResolver(new ConfigSources(sources), environment);
    }

    private static ConfigSource source(String name, Map<String, String> values) {
        return ConfigSources.map(name, values::get, values.keySet());
    }

    @Test
    void usesBuiltInDefaultsOf64KiBTextAnd1MiBBinary() {
        MessageSizePolicy policy = resolver().defaultPolicy();

        assertThat(policy).isEqualTo(new MessageSizePolicy("default", 65_536, 1_048_576));
    }

    @Test
    void appliesSourcesInPrecedenceOrderSystemPropertyFirst() {
        webXml.put("sizeguard.max-text-message-size", "1KiB");
        microProfile.put("sizeguard.max-text-message-size", "2KiB");
        environment.put("SIZEGUARD_MAX_TEXT_MESSAGE_SIZE", "3KiB");
        systemProperties.put("sizeguard.max-text-message-size", "4KiB");
        assertThat(resolver().defaultPolicy().maxTextBytes()).isEqualTo(4096);

        systemProperties.clear();
        assertThat(resolver().defaultPolicy().maxTextBytes()).isEqualTo(3072);

        environment.clear();
        assertThat(resolver().defaultPolicy().maxTextBytes()).isEqualTo(2048);

        microProfile.clear();
        assertThat(resolver().defaultPolicy().maxTextBytes()).isEqualTo(1024);
    }

    @Test
    void webXmlOverridesTheAnnotationWhichOverridesTheDefault() {
        MessageSizePolicy fromAnnotation = resolver().forEndpoint(UploadEndpoint.class, Map.of());
        assertThat(fromAnnotation).isEqualTo(new MessageSizePolicy("upload", 65_536, 1L << 30));

        webXml.put("sizeguard.policy.upload.max-binary-message-size", "256MiB");
        assertThat(resolver().forEndpoint(UploadEndpoint.class, Map.of()).maxBinaryBytes()).isEqualTo(256L << 20);
    }

    @Test
    void aNamedPolicyFallsBackToTheConfiguredDefaultLimits() {
        webXml.put("sizeguard.max-text-message-size", "10KiB");
        webXml.put("sizeguard.policy.upload.max-binary-message-size", "5MiB");

        MessageSizePolicy upload = resolver().named("upload");

        assertThat(upload).isEqualTo(new MessageSizePolicy("upload", 10_240, 5L << 20));
    }

    @Test
    void anAnnotatedLimitOnTheDefaultPolicyLosesToTheWebXmlDefault() {
        assertThat(resolver().forEndpoint(AnnotatedDefaultEndpoint.class, Map.of()).maxTextBytes())
                .isEqualTo(128 * 1024);

        webXml.put("sizeguard.max-text-message-size", "32KiB");
        assertThat(resolver().forEndpoint(AnnotatedDefaultEndpoint.class, Map.of()).maxTextBytes())
                .isEqualTo(32 * 1024);
    }

    @Test
    void onMessageMaxMessageSizeCountsAsAnAnnotationValue() {
        MessageSizePolicy policy = resolver().forEndpoint(PlainEndpoint.class, Map.of(MessageKind.BINARY, 4096L));

        assertThat(policy.maxBinaryBytes()).isEqualTo(4096);
        assertThat(policy.maxTextBytes()).isEqualTo(65_536);
    }

    @Test
    void readsNamedPolicyKeysFromTheEnvironment() {
        environment.put("SIZEGUARD_POLICY_UPLOAD_MAX_BINARY_MESSAGE_SIZE", "2GiB");

        assertThat(resolver().named("upload").maxBinaryBytes()).isEqualTo(2L << 30);
    }

    @Test
    void failsOnAnInvalidValueInAnySourceNamingKeyAndValue() {
        webXml.put("sizeguard.policy.chat.max-text-message-size", "12 parsecs");
        systemProperties.put("sizeguard.policy.chat.max-text-message-size", "1KiB");

        assertThatThrownBy(this::resolver)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sizeguard.policy.chat.max-text-message-size")
                .hasMessageContaining("12 parsecs");
    }

    @Test
    void failsOnANegativeValue() {
        systemProperties.put("sizeguard.max-binary-message-size", "-5");

        assertThatThrownBy(this::resolver)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sizeguard.max-binary-message-size")
                .hasMessageContaining("'-5'");
    }

    @Test
    void failsOnAnInvalidEnvironmentVariable() {
        environment.put("SIZEGUARD_MAX_TEXT_MESSAGE_SIZE", "lots");

        assertThatThrownBy(this::resolver)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("SIZEGUARD_MAX_TEXT_MESSAGE_SIZE")
                .hasMessageContaining("lots");
    }

    @Test
    void failsOnAnInvalidAnnotationValueNamingTheClass() {
        assertThatThrownBy(() -> resolver().forEndpoint(BrokenAnnotationEndpoint.class, Map.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(BrokenAnnotationEndpoint.class.getName())
                .hasMessageContaining("not a size");
    }

    @Test
    void streamLimitsDefaultToTheSamePolicysMessageLimits() {
        webXml.put("sizeguard.policy.upload.max-binary-message-size", "2MiB");

        MessageSizePolicy upload = resolver().named("upload");

        assertThat(upload.maxBinaryStreamBytes()).isEqualTo(2L << 20);
        assertThat(upload.maxTextStreamBytes()).isEqualTo(65_536);
    }

    @Test
    void readsStreamLimitsAndTheCompletionTimeoutFromTheirOwnKeys() {
        webXml.put("sizeguard.max-text-stream-size", "1MiB");
        webXml.put("sizeguard.message-completion-timeout", "3s");
        systemProperties.put("sizeguard.policy.upload.max-binary-stream-size", "1GiB");

        PolicyResolver resolver = resolver();

        assertThat(resolver.defaultPolicy().maxTextStreamBytes()).isEqualTo(1L << 20);
        assertThat(resolver.defaultPolicy().completionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(resolver.named("upload").maxBinaryStreamBytes()).isEqualTo(1L << 30);
        assertThat(resolver.named("upload").completionTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @SizePolicy(value = "slow", maxBinaryStreamSize = "1GiB", messageCompletionTimeout = "5m")
    static class SlowUploadEndpoint {
    }

    @Test
    void takesStreamCapAndTimeoutFromTheAnnotationBelowWebXml() {
        webXml.put("sizeguard.message-completion-timeout", "3s");
        MessageSizePolicy annotated = resolver().forEndpoint(SlowUploadEndpoint.class, Map.of());
        assertThat(annotated.maxBinaryStreamBytes()).isEqualTo(1L << 30);
        assertThat(annotated.completionTimeout()).isEqualTo(Duration.ofMinutes(5));

        webXml.put("sizeguard.policy.slow.message-completion-timeout", "10s");
        assertThat(resolver().forEndpoint(SlowUploadEndpoint.class, Map.of()).completionTimeout())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void resolvesStructureLimitsWithTheirDefaultsAndKeys() {
        assertThat(resolver().defaultPolicy().structure()).isEqualTo(StructureLimits.DEFAULTS);

        webXml.put("sizeguard.max-nesting-depth", "16");
        systemProperties.put("sizeguard.policy.chat.max-elements", "500");
        webXml.put("sizeguard.policy.chat.max-value-size", "4KiB");

        assertThat(resolver().named("chat").structure()).isEqualTo(new StructureLimits(16, 500, 4096));
    }

    @Test
    void failsOnANegativeOrFractionalCount() {
        webXml.put("sizeguard.max-nesting-depth", "-1");
        assertThatThrownBy(this::resolver).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sizeguard.max-nesting-depth").hasMessageContaining("'-1'");

        webXml.put("sizeguard.max-nesting-depth", "2.5");
        assertThatThrownBy(this::resolver).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'2.5'");
    }

    @Test
    void failsOnAnInvalidTimeout() {
        webXml.put("sizeguard.policy.chat.message-completion-timeout", "soon");

        assertThatThrownBy(this::resolver)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sizeguard.policy.chat.message-completion-timeout")
                .hasMessageContaining("soon");
    }

    @Test
    void reportsTheKeysOfAllSourcesForValidation() {
        webXml.put("sizeguard.max-text-message-size", "1KiB");
        webXml.put("unrelated.key", "x");
        systemProperties.put("sizeguard.policy.a.max-binary-message-size", "1KiB");

        ConfigSources sources = new ConfigSources(List.of(source("s", systemProperties), source("w", webXml)));

        assertThat(sources.keys()).containsExactly("sizeguard.max-text-message-size",
                "sizeguard.policy.a.max-binary-message-size");
        assertThat(sources.lookup("sizeguard.max-text-message-size"))
                .isEqualTo(Optional.of(new ConfigSources.Setting("sizeguard.max-text-message-size", "1KiB", "w")));
        assertThat(Set.copyOf(sources.sources())).hasSize(2);
    }
}
