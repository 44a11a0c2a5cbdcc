package io.telesignal.signaling.ws;

import io.telesignal.core.limit.TokenBucket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets ({@link TokenBucket}) for messages: one per connection, one per remote address shared by that
 * address's connections. A message passes when both have a token. An address's bucket outlives its last connection
 * until it has refilled ({@link #evictIdle}), so reconnecting does not buy a fresh burst; the map stays as small as
 * the set of addresses connected or recently seen. Single node: in cluster mode the address buckets move behind
 * the rate-limit SPI.
 */
final class RateLimits {
    private record Shared(TokenBucket bucket, int connections) {}

    private final RateLimitSettings settings;
    private final Clock clock;
    private final Map<InetAddress, Shared> byAddress = new ConcurrentHashMap<>();

    RateLimits(RateLimitSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    private long now() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The buckets of one new connection; {@link Lease#release} when it closes. */
    Lease open(InetAddress address) {
        long now = now();
        Shared shared = byAddress.compute(address, (a, current) -> current == null
                ? new Shared(new TokenBucket(settings.addressPerSecond(), settings.addressBurst(), now), 1)
                : new Shared(current.bucket(), current.connections() + 1));
        return new Lease(address, new TokenBucket(settings.connectionPerSecond(), settings.connectionBurst(), now),
                shared.bucket());
    }

    int burst() {
        return settings.connectionBurst();
    }

    final class Lease {
        private final InetAddress address;
        private final TokenBucket connection;
        private final TokenBucket shared;
        private boolean released;

        private Lease(InetAddress address, TokenBucket connection, TokenBucket shared) {
            this.address = address;
            this.connection = connection;
            this.shared = shared;
        }

        enum Verdict { PASS, CONNECTION_LIMIT, ADDRESS_LIMIT }

        /** Takes one token from both buckets, or none, and says which bucket was empty. */
        Verdict tryConsume() {
            long now = now();
            if (!connection.tryTake(now)) {
                return Verdict.CONNECTION_LIMIT;
            }
            if (!shared.tryTake(now)) {
                connection.giveBack();
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
                    new Shared(current.bucket(), current.connections() - 1));
        }
    }

    /**
     * Forgets the buckets of addresses with no connection that are full again (a fresh bucket would be the same);
     * answers how many. Called by the front door's periodic sweep.
     */
    int evictIdle() {
        long now = now();
        int[] evicted = {0};
        byAddress.keySet().forEach(address -> byAddress.computeIfPresent(address, (a, current) -> {
            if (current.connections() <= 0 && current.bucket().fullAt(now)) {
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
