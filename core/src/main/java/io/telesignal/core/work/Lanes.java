package io.telesignal.core.work;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Blocking work on a {@link WorkerPool}, run in the order it was submitted for the same key and in parallel for
 * different keys. A step that fails (or that the pool refuses) fails its own future only; the next one for the key
 * still runs. Only keys with work pending are held.
 *
 * <p>Bounded like the pool's own queue: a step that would wait behind another of its key is refused at once with
 * {@link BusyException} when {@code maxWaiting} steps already wait in all lanes together, or a quarter of that in its
 * own (so one key whose work is stuck, a store call that does not return, cannot take every place).
 */
public final class Lanes<K> {
    private final WorkerPool pool;
    private final int maxWaiting;
    private final int maxWaitingPerKey;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentHashMap<K, Tail> tails = new ConcurrentHashMap<>();

    /** The last step of a key, and how many of its steps wait for their turn (carried from tail to tail). */
    private record Tail(CompletableFuture<?> last, AtomicInteger waiting) {}

    public Lanes(WorkerPool pool, int maxWaiting) {
        if (maxWaiting < 1) {
            throw new IllegalArgumentException("maxWaiting must be at least 1");
        }
        this.pool = pool;
        this.maxWaiting = maxWaiting;
        this.maxWaitingPerKey = Math.max(1, maxWaiting / 4);
    }

    /** Runs {@code work} after the key's earlier steps; the future is the caller's own (cancelling it stops nothing). */
    public <T> CompletableFuture<T> submit(K key, Supplier<T> work) {
        @SuppressWarnings("unchecked")
        CompletableFuture<T>[] mine = new CompletableFuture[1];
        Tail[] placed = new Tail[1];
        tails.compute(key, (k, tail) -> {
            if (tail == null) {
                mine[0] = pool.submit(work);
                placed[0] = new Tail(mine[0], new AtomicInteger());
                return placed[0];
            }
            if (tail.waiting().get() >= maxWaitingPerKey || waiting.get() >= maxWaiting) {
                return tail; // refused below; nothing placed
            }
            AtomicInteger keyWaiting = tail.waiting();
            keyWaiting.incrementAndGet();
            waiting.incrementAndGet();
            // its turn: no longer waiting, handed to the pool (which may still refuse it, as any submit)
            mine[0] = tail.last().handle((done, failure) -> null).thenCompose(ignored -> {
                keyWaiting.decrementAndGet();
                waiting.decrementAndGet();
                return pool.submit(work);
            });
            placed[0] = new Tail(mine[0], keyWaiting);
            return placed[0];
        });
        if (placed[0] == null) {
            return CompletableFuture.failedFuture(new BusyException());
        }
        Tail tail = placed[0];
        CompletableFuture<T> next = mine[0];
        next.whenComplete((done, failure) -> tails.remove(key, tail));
        return next.copy();
    }

    /** Keys with work pending or running. */
    public int pending() {
        return tails.size();
    }

    /** Steps waiting behind another of their key, in all lanes. */
    public int waiting() {
        return waiting.get();
    }
}
