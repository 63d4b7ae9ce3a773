package org.sizeguard.internal.config;

import org.sizeguard.InvalidConfigurationException;

/**
 * Parses the counts of Sizeguard's configuration (nesting depth, elements): a whole number {@code >= 0}, without
 * a unit.
 */
public final class WholeNumber {

    private WholeNumber() {
    }

    /**
     * Parses {@code value}, naming {@code key} in the exception if it is not a whole number up to {@code max}.
     *
     * @throws InvalidConfigurationException if {@code value} is not a valid count
     */
    public static long parse(String key, String value, long max) {
        if (value == null || !value.strip().matches("\\d+")) {
            throw new InvalidConfigurationException(key, value, "expected a whole number of at least 0");
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number > max) {
                throw new InvalidConfigurationException(key, value, "at most " + max + " is allowed");
            }
            return number;
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key, value, "at most " + max + " is allowed");
        }
    }
}
