package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SizeguardInitializerMetersTest {

    private final Logger log = Logger.getLogger(SizeguardInitializer.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final LiveStats stats = new LiveStats(() -> 0, 0, () -> 0, 0);

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(handler);
    }

    @Test
    void aBindingThatFailsIsLoggedOnceAndSizeguardRunsWithoutMeters() {
        List<AutoCloseable> bound = SizeguardInitializer.bindMeters(stats, failing -> {
            throw new IllegalStateException("the registry refused a meter");
        });

        assertThat(bound).isEmpty();
        assertThat(records).filteredOn(record -> record.getLevel() == Level.WARNING).singleElement()
                .satisfies(record -> {
                    assertThat(record.getMessage()).startsWith("SIZEGUARD-014: could not bind");
                    assertThat(record.getThrown()).hasMessage("the registry refused a meter");
                });
    }

    @Test
    void bindsThroughTheBindingWhenMicrometerIsThere() {
        AutoCloseable meters = () -> { };

        assertThat(SizeguardInitializer.bindMeters(stats, given -> List.of(meters))).containsExactly(meters);
    }
}
