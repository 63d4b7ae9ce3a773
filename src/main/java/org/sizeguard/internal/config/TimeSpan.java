package org.sizeguard.internal.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sizeguard.InvalidConfigurationException;

/**
 * Parses the durations of Sizeguard's configuration: a whole number followed by a unit, {@code ms}, {@code s},
 * {@code m} or {@code h} (e.g. {@code 30s}, {@code 500ms}); {@code 0} (with or without a unit) means "none".
 * Negative numbers and fractions are invalid.
 */
public final class TimeSpan {

    private static final Pattern SPAN = Pattern.compile("\\s*(\\d+)\\s*([A-Za-z]*)\\s*");

    private TimeSpan() {
    }

    /**
     * Parses {@code value}, naming {@code key} in the exception if it is not a valid duration.
     *
     * @throws InvalidConfigurationException if {@code value} is not a valid duration
     */
    public static Duration parse(String key, String value) {
        if (value == null) {
            throw new InvalidConfigurationException(key, null, "a duration is required");
        }
        Matcher matcher = SPAN.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidConfigurationException(key, value, "expected a whole number with a unit ms, s, m or h");
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key, value, "the duration is too long");
        }
        String unit = matcher.group(2).toLowerCase(Locale.ROOT);
        if (amount == 0 && unit.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "" -> throw new InvalidConfigurationException(key, value, "a unit is required: ms, s, m or h");
                default -> throw new InvalidConfigurationException(key, value,
                        "unknown unit '" + matcher.group(2) + "'; use ms, s, m or h");
            };
        } catch (ArithmeticException e) {
            throw new InvalidConfigurationException(key, value, "the duration is too long");
        }
    }
}
