package io.telesignal.signaling.ws;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets (Bucket4j) for messages: one per connection, one per remote address shared by that address's
 * connections. A message passes when both have a token. An address's bucket outlives its last connection until it
 * would have refilled ({@link #evictIdle}), so reconnecting does not buy a fresh burst; the map stays as small as
 * the set of addresses connected or recently seen. Single node: in cluster mode the address buckets move behind
 * the rate-limit SPI.
 */
final class RateLimits {
    /** {@code idleSince}: when the last connection closed, in the bucket's time; meaningless while connected. */
    private record Shared(Bucket bucket, int connections, long idleSince) {}

    private final RateLimitSettings settings;
    private final TimeMeter time;
    private final Map<InetAddress, Shared> byAddress = new ConcurrentHashMap<>();

    RateLimits(RateLimitSettings settings, Clock clock) {
        this.settings = settings;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** The buckets of one new connection; {@link Lease#release} when it closes. */
    Lease open(InetAddress address) {
        Shared shared = byAddress.compute(address, (a, current) -> current == null
                ? new Shared(bucket(settings.addressPerSecond(), settings.addressBurst()), 1, 0)
                : new Shared(current.bucket(), current.connections() + 1, 0));
        return new Lease(address, bucket(settings.connectionPerSecond(), settings.connectionBurst()), shared.bucket());
    }

    int burst() {
        return settings.connectionBurst();
    }

    private Bucket bucket(int perSecond, int burst) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .withCustomTimePrecision(time)
                // in place under a lock: the default (lock-free) allocates a new state per message and swaps it into
                // a long-lived bucket, which costs garbage and card-marking work for every message
                .withSynchronizationStrategy(io.github.bucket4j.local.SynchronizationStrategy.SYNCHRONIZED)
                .build();
    }

    final class Lease {
        private final InetAddress address;
        private final Bucket connection;
        private final Bucket shared;
        private boolean released;

        private Lease(InetAddress address, Bucket connection, Bucket shared) {
            this.address = address;
            this.connection = connection;
            this.shared = shared;
        }

        enum Verdict { PASS, CONNECTION_LIMIT, ADDRESS_LIMIT }

        /** Takes one token from both buckets, or none, and says which bucket was empty. */
        Verdict tryConsume() {
            if (!connection.tryConsume(1)) {
                return Verdict.CONNECTION_LIMIT;
            }
            if (!shared.tryConsume(1)) {
                connection.addTokens(1);
                return Verdict.ADDRESS_LIMIT;
            }
            return Verdict.PASS;
        }

        void release() {
            if (released) {
                return;
            }
            released = true;
            byAddress.computeIfPresent(address, (a, current) ->
                    new Shared(current.bucket(), current.connections() - 1, time.currentTimeNanos()));
        }
    }

    /**
     * Forgets the buckets of addresses with no connection that have been idle long enough to be full again (a
     * fresh bucket would be the same); answers how many. Called by the front door's periodic sweep.
     */
    int evictIdle() {
        long now = time.currentTimeNanos();
        long refill = (long) Math.ceil((double) settings.addressBurst() / settings.addressPerSecond() * 1e9);
        int[] evicted = {0};
        byAddress.keySet().forEach(address -> byAddress.computeIfPresent(address, (a, current) -> {
            if (current.connections() <= 0 && now - current.idleSince() >= refill) {
                evicted[0]++;
                return null;
            }
            return current;
        }));
        return evicted[0];
    }

    int addresses() {
        return byAddress.size();
    }
}
