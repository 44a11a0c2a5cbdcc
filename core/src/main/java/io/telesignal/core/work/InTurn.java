package io.telesignal.core.work;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs an asynchronous step on each item in turn, the next once the one before has finished, and counts the items for
 * which it answered true. A step that fails is handed to {@code failed} (to log it) and the next one runs: one bad
 * item never stops a cleanup of the others.
 */
public final class InTurn {
    private InTurn() {}

    public static <T> CompletionStage<Integer> count(List<T> items, Function<T, CompletionStage<Boolean>> step,
            BiConsumer<T, Throwable> failed) {
        CompletionStage<Integer> count = CompletableFuture.completedFuture(0);
        for (T item : items) {
            count = count.thenCompose(n -> step.apply(item).handle((done, failure) -> {
                if (failure != null) {
                    failed.accept(item, Failures.cause(failure));
                    return n;
                }
                return Boolean.TRUE.equals(done) ? n + 1 : n;
            }));
        }
        return count;
    }
}
