package io.telesignal.core.work;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs an asynchronous action again when it failed for a passing reason (the worker pool was full, the store kept
 * changing), after a delay that doubles each time, a bounded number of times: for work nobody waits on that must not
 * be dropped, like taking a closed connection's endpoint out of its consultations. What still fails after the last
 * attempt, or fails for another reason, completes the answer with that failure.
 */
public final class Retries {
    private final ScheduledExecutorService timer;
    private final int attempts;
    private final Duration firstDelay;
    private final Duration maxDelay;

    /**
     * @param timer runs the delayed attempts (they only start the action); one that is shut down ends the retries
     * @param attempts how many times in all, at least 1
     */
    public Retries(ScheduledExecutorService timer, int attempts, Duration firstDelay, Duration maxDelay) {
        if (attempts < 1 || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("attempts >= 1 and 0 <= firstDelay <= maxDelay");
        }
        this.timer = timer;
        this.attempts = attempts;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /** The worker pool's queue was full: the usual passing reason. */
    public static boolean busy(Throwable failure) {
        return Failures.cause(failure) instanceof BusyException;
    }

    /** {@code action}'s answer, from the first attempt that succeeds or the failure of the last one. */
    public <T> CompletionStage<T> run(Supplier<? extends CompletionStage<T>> action, Predicate<Throwable> passing) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        attempt(action, passing, 1, firstDelay, answer);
        return answer;
    }

    private <T> void attempt(Supplier<? extends CompletionStage<T>> action, Predicate<Throwable> passing, int attempt,
            Duration delay, CompletableFuture<T> answer) {
        CompletionStage<T> stage;
        try {
            stage = action.get();
        } catch (RuntimeException thrown) {
            stage = CompletableFuture.failedFuture(thrown);
        }
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                answer.complete(value);
                return;
            }
            if (attempt >= attempts || !passing.test(failure)) {
                answer.completeExceptionally(Failures.cause(failure));
                return;
            }
            Duration next = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
            try {
                timer.schedule(() -> attempt(action, passing, attempt + 1, next, answer), delay.toNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                answer.completeExceptionally(Failures.cause(failure)); // shutting down: the last failure stands
            }
        });
    }
}
