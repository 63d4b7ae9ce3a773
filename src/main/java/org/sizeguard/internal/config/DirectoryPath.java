package org.sizeguard.internal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.sizeguard.InvalidConfigurationException;

/** Parses the directories of Sizeguard's configuration: an absolute path of the server's file system. */
public final class DirectoryPath {

    private DirectoryPath() {
    }

    /**
     * Parses {@code value}, naming {@code where} in the exception if it is not an absolute path.
     *
     * @throws InvalidConfigurationException if {@code value} is blank, relative or not a path
     */
    public static Path parse(String where, String value) {
        try {
            Path path = Path.of(value.trim());
            if (value.isBlank() || !path.isAbsolute()) {
                throw new InvalidConfigurationException(where, value, "must be an absolute directory path");
            }
            return path;
        } catch (InvalidPathException invalid) {
            throw new InvalidConfigurationException(where, value, "is not a path: " + invalid.getReason());
        }
    }
}
