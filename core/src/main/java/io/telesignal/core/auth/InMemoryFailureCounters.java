package io.telesignal.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures of a single node. Bounded: past {@code capacity} keys the lapsed ones go, then, if a flood of distinct keys
 * still fills it, the oldest half (a forgotten key only costs the attacker's next guesses their back-off).
 */
public final class InMemoryFailureCounters implements FailureCounters {
    private record Entry(long count, Instant last, Instant lapses) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int capacity;

    public InMemoryFailureCounters(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public CompletionStage<Failures> failed(String key, Instant now, Duration window) {
        if (entries.size() >= capacity) {
            trim(now);
        }
        Entry entry = entries.compute(key, (k, old) -> old == null || !old.lapses().isAfter(now)
                ? new Entry(1, now, now.plus(window)) : new Entry(old.count() + 1, now, now.plus(window)));
        return CompletableFuture.completedFuture(new Failures(entry.count(), entry.last()));
    }

    @Override
    public CompletionStage<Optional<Failures>> read(String key, Instant now) {
        Entry entry = entries.get(key);
        return CompletableFuture.completedFuture(entry == null || !entry.lapses().isAfter(now) ? Optional.empty()
                : Optional.of(new Failures(entry.count(), entry.last())));
    }

    @Override
    public CompletionStage<Void> clear(String key) {
        entries.remove(key);
        return CompletableFuture.completedFuture(null);
    }

    int size() {
        return entries.size();
    }

    private synchronized void trim(Instant now) {
        entries.values().removeIf(e -> !e.lapses().isAfter(now));
        if (entries.size() >= capacity) {
            Instant median = entries.values().stream().map(Entry::last).sorted().skip(entries.size() / 2).findFirst()
                    .orElse(now);
            entries.values().removeIf(e -> e.last().isBefore(median));
        }
        if (entries.size() >= capacity) {
            entries.clear(); // all from the same instant: a flood
        }
    }
}
