package org.sizeguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sizeguard.InvalidConfigurationException;

class TimeSpanTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "0s, 0", "500ms, 500", "30s, 30000", "2m, 120000", "1h, 3600000", "' 3 S ', 3000"})
    void parsesWholeDurationsWithAUnit(String value, long millis) {
        assertThat(TimeSpan.parse("k", value)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "-1s", "1.5s", "3 days", "s", "99999999999999999999999s"})
    void rejectsAnythingButAWholeDurationWithAUnitNamingKeyAndValue(String value) {
        assertThatThrownBy(() -> TimeSpan.parse("sizeguard.message-completion-timeout", value))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sizeguard.message-completion-timeout")
                .hasMessageContaining("'" + value + "'");
    }
}
