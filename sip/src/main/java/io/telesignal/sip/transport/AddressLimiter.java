package io.telesignal.sip.transport;

import io.telesignal.core.limit.TokenBucket;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Messages per second from one address: a token bucket per source address ({@code rate} a second, {@code burst} at
 * once). Over it, a UDP message is dropped silently (answering a flood would feed it) and a TCP request is answered
 * 503 with Retry-After. Bounded: past {@code capacity} addresses the idle ones are forgotten first.
 */
public final class AddressLimiter {
    private final int rate;
    private final int burst;
    private final int capacity;
    private final LongSupplier nanos;
    private final Map<InetAddress, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    public AddressLimiter(int rate, int burst, int capacity, LongSupplier nanos) {
        if (rate < 1 || burst < rate || capacity < 1) {
            throw new IllegalArgumentException("limiter: 1 <= rate <= burst, capacity >= 1");
        }
        this.rate = rate;
        this.burst = burst;
        this.capacity = capacity;
        this.nanos = nanos;
    }

    /** Whether one more message from {@code address} is within its rate; counts the refusals. */
    public boolean allow(InetAddress address) {
        long now = nanos.getAsLong();
        if (buckets.size() >= capacity && !buckets.containsKey(address)) {
            trim(now);
        }
        if (buckets.computeIfAbsent(address, a -> new TokenBucket(rate, burst, now)).tryTake(now)) {
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    public long refused() {
        return refused.get();
    }

    int size() {
        return buckets.size();
    }

    private synchronized void trim(long now) {
        // a full bucket is an idle address: it loses nothing by being forgotten
        buckets.values().removeIf(bucket -> bucket.fullAt(now));
        if (buckets.size() >= capacity) {
            buckets.clear(); // a flood of distinct addresses: each starts again with a full burst
        }
    }
}
