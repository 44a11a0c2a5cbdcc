package io.telesignal.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(new InMemoryFailureCounters(1000),
            new SignInThrottle.Settings(3, 10, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10)),
            clock);

    private Optional<Duration> retryAfter(String login, String address) {
        return throttle.retryAfter(login, address).toCompletableFuture().join();
    }

    private void fail(String login, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(login, address).toCompletableFuture().join();
        }
    }

    @Test
    void aLoginIsLockedAfterItsFreeFailuresForLongerEachTime() {
        fail("pat", "192.0.2.1", 3);
        assertThat(retryAfter("pat", "192.0.2.1")).isEmpty();
        fail("pat", "192.0.2.1", 1);
        assertThat(retryAfter("pat", "192.0.2.1")).contains(Duration.ofSeconds(1));
        // from another address too: it is the login that is guessed
        assertThat(retryAfter("pat", "198.51.100.7")).contains(Duration.ofSeconds(1));
        assertThat(retryAfter("doc", "198.51.100.7")).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(retryAfter("pat", "192.0.2.1")).isEmpty();
        fail("pat", "192.0.2.1", 1);
        assertThat(retryAfter("pat", "192.0.2.1")).contains(Duration.ofSeconds(2));
        fail("pat", "192.0.2.1", 10);
        assertThat(retryAfter("pat", "192.0.2.1")).as("at most max").contains(Duration.ofSeconds(30));
        assertThat(SignInThrottle.seconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(SignInThrottle.seconds(Duration.ofMillis(1))).isEqualTo(1);
    }

    @Test
    void successClearsTheLoginNotTheAddressAndFailuresLapse() {
        fail("pat", "192.0.2.1", 5);
        throttle.succeeded("pat").toCompletableFuture().join();
        assertThat(retryAfter("pat", "192.0.2.9")).isEmpty();

        // many logins guessed from one address: the address is locked for all of them
        for (int i = 0; i < 6; i++) {
            fail("user" + i, "192.0.2.1", 1);
        }
        assertThat(retryAfter("someone-else", "192.0.2.1")).contains(Duration.ofSeconds(1));
        assertThat(retryAfter("someone-else", "192.0.2.2")).isEmpty();

        clock.advance(Duration.ofMinutes(10));
        assertThat(retryAfter("someone-else", "192.0.2.1")).as("lapsed after the window").isEmpty();
        fail("someone-else", "192.0.2.1", 1);
        assertThat(retryAfter("someone-else", "192.0.2.1")).as("counted afresh").isEmpty();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new SignInThrottle.Settings(0, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignInThrottle.Settings(1, 1, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theInMemoryCountersStayBoundedUnderAFloodOfKeys() {
        InMemoryFailureCounters counters = new InMemoryFailureCounters(100);
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            counters.failed("login:guess" + i, now.plusMillis(i), Duration.ofHours(1)).toCompletableFuture().join();
        }
        assertThat(counters.size()).isLessThanOrEqualTo(100);
        assertThat(counters.read("login:guess9999", now.plusSeconds(10)).toCompletableFuture().join()).isPresent();
    }
}
