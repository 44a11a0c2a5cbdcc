package io.telesignal.core.work;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A node's short-lived copy of values it would otherwise read from the store on every request (a user by login, a
 * user's device passwords): each is kept for {@code ttl}, and dropped at once when this node changes it. A change made
 * through another node shows within {@code ttl}. Bounded: past {@code maxEntries} it starts over. A zero TTL keeps
 * nothing.
 */
public final class TtlCache<K, V> {
    private record Entry<V>(V value, long expiresAt) {}

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    public TtlCache(Duration ttl, int maxEntries, LongSupplier nanoTime) {
        if (ttl.isNegative() || maxEntries < 1) {
            throw new IllegalArgumentException("a cache needs a TTL of zero or more and room for an entry");
        }
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    /** The value for {@code key}: the copy kept, or a fresh one from {@code load} (which blocks, as the store does). */
    public V get(K key, Function<K, V> load) {
        if (ttlNanos == 0) {
            return load.apply(key);
        }
        long now = nanoTime.getAsLong();
        Entry<V> kept = entries.get(key);
        if (kept != null && now - kept.expiresAt() < 0) {
            return kept.value();
        }
        V fresh = Objects.requireNonNull(load.apply(key), "a cached value");
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(fresh, now + ttlNanos));
        return fresh;
    }

    /** The copy kept for {@code key} if it has not expired; never loads (for callers that must not block). */
    public java.util.Optional<V> peek(K key) {
        Entry<V> kept = entries.get(key);
        return kept != null && nanoTime.getAsLong() - kept.expiresAt() < 0 ? java.util.Optional.of(kept.value())
                : java.util.Optional.empty();
    }

    public void invalidate(K key) {
        entries.remove(key);
    }

    public void invalidateAll() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
