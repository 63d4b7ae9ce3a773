package org.sizeguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sizeguard.InvalidConfigurationException;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "65536, 65536",
        "17B, 17",
        "64KiB, 65536",
        "64kib, 65536",
        "' 64 KiB ', 65536",
        "1MiB, 1048576",
        "1GiB, 1073741824",
        "8GiB, 8589934592",
        "64KB, 64000",
        "1MB, 1000000",
        "2GB, 2000000000",
    })
    void parsesWholeBytesWithBinaryAndDecimalUnits(String value, long bytes) {
        assertThat(ByteSize.parse("k", value)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1", "-1KiB", "1.5MiB", "64 kilobytes", "KiB", "0x10", "1 2", "64KiBB",
        "99999999999999999999", "9999999999GiB"})
    void rejectsAnythingButAWholeNonNegativeSizeNamingKeyAndValue(String value) {
        assertThatThrownBy(() -> ByteSize.parse("sizeguard.max-text-message-size", value))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sizeguard.max-text-message-size")
                .hasMessageContaining("'" + value + "'");
    }

    @org.junit.jupiter.api.Test
    void keepsKibiAndKiloApart() {
        assertThat(ByteSize.parse("k", "64KiB")).isNotEqualTo(ByteSize.parse("k", "64KB"));
    }
}
