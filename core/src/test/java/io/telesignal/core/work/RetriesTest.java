package io.telesignal.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetriesTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Fails busy {@code busyTimes} times, then answers its attempt number; records when each attempt started. */
    private static final class Flaky {
        final AtomicInteger calls = new AtomicInteger();
        final List<Long> startedNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        final int busyTimes;

        Flaky(int busyTimes) {
            this.busyTimes = busyTimes;
        }

        CompletionStage<Integer> call() {
            startedNanos.add(System.nanoTime());
            int call = calls.incrementAndGet();
            return call <= busyTimes ? CompletableFuture.failedFuture(new CompletionException(new BusyException()))
                    : CompletableFuture.completedFuture(call);
        }
    }

    @Test
    void aBusyActionIsRunAgainWithDoublingDelaysUntilItSucceeds() throws Exception {
        Flaky flaky = new Flaky(3);
        Retries retries = new Retries(timer, 5, Duration.ofMillis(20), Duration.ofMillis(50));

        assertThat(retries.run(flaky::call, Retries::busy).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(flaky.calls).hasValue(4);
        // waited at least 20, 40 and then 50 (capped) ms between the attempts
        List<Long> started = flaky.startedNanos;
        assertThat(started.get(1) - started.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(started.get(2) - started.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
        assertThat(started.get(3) - started.get(2)).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void afterTheLastAttemptTheFailureStands() {
        Flaky flaky = new Flaky(10);
        Retries retries = new Retries(timer, 3, Duration.ofMillis(1), Duration.ofMillis(1));

        assertThatThrownBy(() -> retries.run(flaky::call, Retries::busy).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BusyException.class);
        assertThat(flaky.calls).hasValue(3);
    }

    @Test
    void aFailureThatIsNotPassingIsNotRetriedAndAThrowingActionCountsAsFailed() {
        AtomicInteger calls = new AtomicInteger();
        Retries retries = new Retries(timer, 5, Duration.ofMillis(1), Duration.ofMillis(1));

        assertThatThrownBy(() -> retries.run(() -> {
            calls.incrementAndGet();
            return CompletableFuture.<Integer>failedFuture(new IllegalStateException("bug"));
        }, Retries::busy).toCompletableFuture().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);

        AtomicInteger thrown = new AtomicInteger();
        assertThatThrownBy(() -> retries.<Integer>run(() -> {
            thrown.incrementAndGet();
            throw new BusyException();
        }, Retries::busy).toCompletableFuture().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(BusyException.class);
        assertThat(thrown).hasValue(5);
    }

    @Test
    void aTimerThatWasShutDownEndsTheRetriesWithTheLastFailure() {
        timer.shutdownNow();
        Flaky flaky = new Flaky(10);

        assertThatThrownBy(() -> new Retries(timer, 5, Duration.ofMillis(1), Duration.ofMillis(1))
                .run(flaky::call, Retries::busy).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BusyException.class);
        assertThat(flaky.calls).hasValue(1);
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new Retries(timer, 0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Retries(timer, 2, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
