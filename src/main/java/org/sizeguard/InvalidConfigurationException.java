package org.sizeguard;

/**
 * A configuration value that Sizeguard cannot use. Thrown while the application deploys, so that the
 * deployment fails with a message naming the key and the value; Sizeguard never replaces an invalid value
 * with a default.
 */
public class InvalidConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    public InvalidConfigurationException(String key, String value, String problem) {
        super("SIZEGUARD-002: invalid value '" + value + "' for " + key + ": " + problem);
        this.key = key;
        this.value = value;
    }

    /** The configuration key, e.g. {@code sizeguard.max-text-message-size}. */
    public String key() {
        return key;
    }

    /** The rejected value as it was written, or {@code null} if it was missing. */
    public String value() {
        return value;
    }
}
