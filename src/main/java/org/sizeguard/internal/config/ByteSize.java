package org.sizeguard.internal.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sizeguard.InvalidConfigurationException;

/**
 * Parses the size values of Sizeguard's configuration.
 * <p>
 * A size is a whole number of bytes, optionally followed by a unit: {@code B}, {@code KiB}, {@code MiB},
 * {@code GiB} (powers of 1024) or {@code KB}, {@code MB}, {@code GB} (powers of 1000). Units are matched
 * without regard to case ({@code 64kib} is {@code 64KiB}), but {@code KiB} and {@code KB} stay distinct.
 * Whitespace around the number and the unit is ignored. Negative numbers, fractions and sizes beyond
 * {@link Long#MAX_VALUE} bytes are invalid.
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*([A-Za-z]*)\\s*");

    private ByteSize() {
    }

    /**
     * Parses {@code value}, naming {@code key} in the exception if it is not a valid size.
     *
     * @return the size in bytes, {@code >= 0}
     * @throws InvalidConfigurationException if {@code value} is not a valid size
     */
    public static long parse(String key, String value) {
        if (value == null) {
            throw new InvalidConfigurationException(key, null, "a size is required");
        }
        Matcher matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidConfigurationException(key, value,
                    "expected a whole number of bytes with an optional unit B, KiB, MiB, GiB, KB, MB or GB");
        }
        long multiplier = multiplier(key, value, matcher.group(2));
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new InvalidConfigurationException(key, value, "the size is too large");
        }
    }

    private static long multiplier(String key, String value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            default -> throw new InvalidConfigurationException(key, value,
                    "unknown unit '" + unit + "'; use B, KiB, MiB, GiB, KB, MB or GB");
        };
    }
}
