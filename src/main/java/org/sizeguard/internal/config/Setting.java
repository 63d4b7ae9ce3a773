package org.sizeguard.internal.config;

/**
 * What every setting of Sizeguard declares, policy-wide ({@link PolicySetting}) or server-wide
 * ({@link ServerSetting}), and what follows from the declaration: its parser with its bounds, the names it is shown
 * and reported under, its default and meaning as the README's configuration table shows them.
 */
public interface Setting {

    /**
     * One setting's declaration.
     *
     * @param suffix       the key's last part, e.g. {@code max-text-message-size}
     * @param type         how its values are written
     * @param reportName   the name its effective value is reported under, e.g. {@code maxTextBytes}
     * @param min          the smallest value allowed, in the type's unit (bytes, milliseconds, a count)
     * @param max          the largest value allowed, likewise
     * @param defaultValue the default, in Markdown
     * @param meaning      what the setting means, in Markdown
     */
    record Declaration(String suffix, ValueType type, String reportName, long min, long max, String defaultValue,
            String meaning) {
    }

    Declaration declaration();

    /** The key's last part, e.g. {@code max-text-message-size}. */
    default String suffix() {
        return declaration().suffix();
    }

    /** How values of this setting are written. */
    default ValueType type() {
        return declaration().type();
    }

    /** The name the effective value is reported under, e.g. {@code maxTextBytes}. */
    default String reportName() {
        return declaration().reportName();
    }

    /** The default, in Markdown, as the README's table shows it. */
    default String defaultValue() {
        return declaration().defaultValue();
    }

    /** What the setting means, in Markdown, as the README's table shows it. */
    default String meaning() {
        return declaration().meaning();
    }

    /**
     * Parses {@code text} as a value of this setting within its bounds.
     *
     * @param where the key or annotation the text came from, named in the exception
     * @throws org.sizeguard.InvalidConfigurationException naming {@code where} and {@code text} if it is not valid
     */
    default long parse(String where, String text) {
        Declaration declared = declaration();
        return declared.type().parse(where, text, declared.min(), declared.max());
    }
}
