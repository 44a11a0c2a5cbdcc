package io.telesignal.core.device;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Nonce counts of a single node; bounded: past {@code capacity} nonces the expired ones go, then all (a flood). */
public final class InMemoryNonceCounts implements NonceCounts {
    private record Seen(long nc, long expiresAtNanos) {}

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final int capacity;
    private final LongSupplier nanos;

    public InMemoryNonceCounts(int capacity, LongSupplier nanos) {
        this.capacity = capacity;
        this.nanos = nanos;
    }

    @Override
    public CompletionStage<Boolean> advance(String nonce, long nc, Duration lifetime) {
        long now = nanos.getAsLong();
        if (seen.size() >= capacity) {
            seen.values().removeIf(s -> s.expiresAtNanos() <= now);
            if (seen.size() >= capacity) {
                seen.clear();
            }
        }
        boolean[] higher = new boolean[1];
        seen.compute(nonce, (n, old) -> {
            if (old == null || old.expiresAtNanos() <= now) {
                higher[0] = true;
                return new Seen(nc, now + lifetime.toNanos());
            }
            if (nc > old.nc()) {
                higher[0] = true;
                return new Seen(nc, old.expiresAtNanos());
            }
            return old;
        });
        return CompletableFuture.completedFuture(higher[0]);
    }
}
