package io.telesignal.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link FailureCounters} must do. */
public abstract class FailureCountersContract {
    protected abstract FailureCounters counters();

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void failuresAreCountedPerKeyAndCleared() {
        assertThat(counters().read("login:pat", T0).toCompletableFuture().join()).isEmpty();
        assertThat(counters().failed("login:pat", T0, Duration.ofMinutes(5)).toCompletableFuture().join())
                .isEqualTo(new FailureCounters.Failures(1, T0));
        FailureCounters.Failures second = counters().failed("login:pat", T0.plusSeconds(3), Duration.ofMinutes(5))
                .toCompletableFuture().join();
        assertThat(second).isEqualTo(new FailureCounters.Failures(2, T0.plusSeconds(3)));
        assertThat(counters().read("login:pat", T0.plusSeconds(4)).toCompletableFuture().join()).contains(second);
        assertThat(counters().read("addr:2001:db8::1", T0).toCompletableFuture().join()).isEmpty();

        counters().clear("login:pat").toCompletableFuture().join();
        assertThat(counters().read("login:pat", T0.plusSeconds(5)).toCompletableFuture().join()).isEmpty();
    }
}
