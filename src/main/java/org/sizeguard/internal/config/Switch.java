package org.sizeguard.internal.config;

import java.util.Locale;

import org.sizeguard.InvalidConfigurationException;

/** Parses the on/off settings of Sizeguard's configuration: {@code true} or {@code false}, in any case. */
public final class Switch {

    private Switch() {
    }

    /**
     * Parses {@code value}, naming {@code key} in the exception if it is neither {@code true} nor {@code false}.
     *
     * @throws InvalidConfigurationException if {@code value} is not a switch
     */
    public static boolean parse(String key, String value) {
        String word = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigurationException(key, value, "expected true or false");
        };
    }
}
