package io.telesignal.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryFailureCountersTest extends FailureCountersContract {
    private final InMemoryFailureCounters counters = new InMemoryFailureCounters(100);

    @Override
    protected FailureCounters counters() {
        return counters;
    }

    @Test
    void failuresLapseAfterTheWindowAndTheMapStaysBounded() {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        counters.failed("k", t0, Duration.ofSeconds(10)).toCompletableFuture().join();
        assertThat(counters.read("k", t0.plusSeconds(10)).toCompletableFuture().join()).isEmpty();
        for (int i = 0; i < 500; i++) {
            counters.failed("flood" + i, t0.plusMillis(i), Duration.ofHours(1)).toCompletableFuture().join();
        }
        assertThat(counters.size()).isLessThanOrEqualTo(100);
    }
}
