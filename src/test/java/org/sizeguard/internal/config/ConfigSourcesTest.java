package org.sizeguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConfigSourcesTest {

    private static final String KEY = "sizeguard.policy.configsourcestest.max-text-message-size";

    @AfterEach
    void clearSystemProperty() {
        System.clearProperty(KEY);
    }

    private static ConfigSource webXml(Map<String, String> parameters) {
        return ConfigSources.map("web.xml context-param", parameters::get, parameters.keySet());
    }

    @Test
    void findsAKeyInTheFirstSourceThatHasItAndSaysWhichSourceThatWas() {
        ConfigSources sources = new ConfigSources(List.of(ConfigSources.systemProperties(),
                ConfigSources.environment(Map.of("SIZEGUARD_POLICY_CONFIGSOURCESTEST_MAX_TEXT_MESSAGE_SIZE", "2KiB")),
                webXml(Map.of(KEY, "3KiB"))));

        assertThat(sources.lookup(KEY)).hasValueSatisfying(found -> {
            assertThat(found.value()).isEqualTo("2KiB");
            assertThat(found.source()).isEqualTo("environment");
        });

        System.setProperty(KEY, "1KiB");
        assertThat(sources.lookup(KEY)).hasValueSatisfying(found -> {
            assertThat(found.value()).isEqualTo("1KiB");
            assertThat(found.source()).isEqualTo("system property");
        });
    }

    @Test
    void fallsThroughToTheLowestSourceAndFindsNothingWhereNoSourceHasTheKey() {
        ConfigSources sources = new ConfigSources(List.of(ConfigSources.systemProperties(),
                ConfigSources.environment(Map.of()), webXml(Map.of(KEY, "3KiB"))));

        assertThat(sources.lookup(KEY)).hasValueSatisfying(found -> assertThat(found.source())
                .isEqualTo("web.xml context-param"));
        assertThat(sources.lookup("sizeguard.max-elements")).isEmpty();
    }

    @Test
    void listsOnlySizeguardKeysForValidationAndNoneFromTheEnvironment() {
        System.setProperty(KEY, "1KiB");
        ConfigSources sources = new ConfigSources(List.of(ConfigSources.systemProperties(),
                ConfigSources.environment(Map.of("SIZEGUARD_MAX_ELEMENTS", "10")),
                webXml(Map.of("sizeguard.max-elements", "5", "jakarta.faces.PROJECT_STAGE", "Development"))));

        assertThat(sources.keys()).contains(KEY, "sizeguard.max-elements")
                .allMatch(key -> key.startsWith("sizeguard."));
        assertThat(ConfigSources.environment(Map.of("SIZEGUARD_MAX_ELEMENTS", "10")).keys()).isEqualTo(Set.of());
    }
}
