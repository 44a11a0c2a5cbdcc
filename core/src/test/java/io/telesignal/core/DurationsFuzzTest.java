package io.telesignal.core;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Jazzer fuzz target: durations come from requests (ttl), the command line and configuration. Any text is a
 * non-negative duration or empty; nothing may throw (no overflow, no number format error). Fuzz with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl core test -Dtest=DurationsFuzzTest}.
 */
class DurationsFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parsesOrIsEmpty(FuzzedDataProvider data) {
        Durations.parse(data.consumeRemainingAsString()).ifPresent(d -> {
            if (d.isNegative() || d.compareTo(Duration.ofDays(1_000_000_000L)) > 0) {
                throw new AssertionError("out of range: " + d);
            }
        });
    }
}
