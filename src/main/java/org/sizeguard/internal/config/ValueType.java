package org.sizeguard.internal.config;

import java.time.Duration;

import org.sizeguard.InvalidConfigurationException;

/**
 * How the values of a setting are written, read and shown. Every value is held as a {@code long} once parsed: bytes
 * for a size, milliseconds for a duration, the count, 1 or 0 for a switch (a path is the one exception, see
 * {@link ServerSetting#TRANSFER_DIRECTORY}).
 */
public enum ValueType {
    /**
     * A whole number of bytes with an optional unit: {@code B}, {@code KiB}, {@code MiB}, {@code GiB} (1024-based),
     * {@code KB}, {@code MB}, {@code GB} (1000-based).
     */
    SIZE {
        @Override
        long parse(String where, String value) {
            return ByteSize.parse(where, value);
        }

        @Override
        public String format(long bytes) {
            String[] units = {"KiB", "MiB", "GiB"};
            for (int power = units.length; power > 0; power--) {
                long multiple = 1L << (10 * power);
                if (bytes >= multiple && bytes % multiple == 0) {
                    return bytes / multiple + units[power - 1];
                }
            }
            return Long.toString(bytes);
        }
    },
    /** A whole number with a unit: {@code ms}, {@code s}, {@code m}, {@code h}; {@code 0} for none. */
    DURATION {
        @Override
        long parse(String where, String value) {
            return TimeSpan.parse(where, value).toMillis();
        }

        @Override
        public String format(long millis) {
            Duration duration = Duration.ofMillis(millis);
            if (millis == 0) {
                return "0";
            } else if (millis % 3_600_000 == 0) {
                return duration.toHours() + "h";
            } else if (millis % 60_000 == 0) {
                return duration.toMinutes() + "m";
            } else if (millis % 1000 == 0) {
                return duration.toSeconds() + "s";
            }
            return millis + "ms";
        }
    },
    /** A whole number, {@code >= 0}, without a unit. */
    COUNT {
        @Override
        long parse(String where, String value) {
            return WholeNumber.parse(where, value, Long.MAX_VALUE);
        }
    },
    /** {@code true} or {@code false}, held as 1 or 0. */
    SWITCH {
        @Override
        long parse(String where, String value) {
            return Switch.parse(where, value) ? 1 : 0;
        }

        @Override
        public String format(long value) {
            return Boolean.toString(value != 0);
        }
    },
    /** An absolute directory path of the server's file system (server-wide settings only). */
    PATH {
        @Override
        long parse(String where, String value) {
            DirectoryPath.parse(where, value);
            return 0;
        }
    };

    /** Parses {@code value}, naming {@code where} (a key, or an annotation) if it is not valid. */
    abstract long parse(String where, String value);

    /**
     * Parses {@code value} and checks it lies within {@code [min, max]}.
     *
     * @throws InvalidConfigurationException naming {@code where} and {@code value} if it does not
     */
    long parse(String where, String value, long min, long max) {
        long parsed = parse(where, value);
        if (parsed < min) {
            throw new InvalidConfigurationException(where, value, "must be at least " + format(min));
        }
        if (parsed > max) {
            throw new InvalidConfigurationException(where, value, "at most " + format(max) + " is allowed");
        }
        return parsed;
    }

    /** {@code value} as the configuration would write it, e.g. {@code 64KiB} or {@code 30s}. */
    public String format(long value) {
        return Long.toString(value);
    }
}
