package io.telesignal.core.work;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Blocking work on a {@link WorkerPool}, run in the order it was submitted for the same key and in parallel for
 * different keys. A step that fails (or that the pool refuses) fails its own future only; the next one for the key
 * still runs. Only keys with work pending are held.
 */
public final class Lanes<K> {
    private final WorkerPool pool;
    private final ConcurrentHashMap<K, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    public Lanes(WorkerPool pool) {
        this.pool = pool;
    }

    public <T> CompletableFuture<T> submit(K key, Supplier<T> work) {
        @SuppressWarnings("unchecked")
        CompletableFuture<T>[] mine = new CompletableFuture[1];
        tails.compute(key, (k, tail) -> {
            mine[0] = tail == null ? pool.submit(work)
                    : tail.handle((done, failure) -> null).thenCompose(ignored -> pool.submit(work));
            return mine[0];
        });
        CompletableFuture<T> next = mine[0];
        next.whenComplete((done, failure) -> tails.remove(key, next));
        return next;
    }

    /** Keys with work pending or running. */
    public int pending() {
        return tails.size();
    }
}
