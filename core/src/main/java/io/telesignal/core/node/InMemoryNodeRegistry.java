package io.telesignal.core.node;

import io.telesignal.core.identity.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The nodes of one process (a single node, or several in a test), on a clock. */
public final class InMemoryNodeRegistry implements NodeRegistry {
    private final Clock clock;
    private final Map<NodeId, Instant> beats = new ConcurrentHashMap<>();
    private final Map<NodeId, Instant> claims = new ConcurrentHashMap<>();

    public InMemoryNodeRegistry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<Boolean> heartbeat(NodeId node) {
        return CompletableFuture.completedFuture(beats.put(node, clock.instant()) != null);
    }

    @Override
    public CompletionStage<Map<NodeId, Duration>> nodes() {
        Instant now = clock.instant();
        Map<NodeId, Duration> ages = new LinkedHashMap<>();
        beats.forEach((node, at) -> ages.put(node, Duration.between(at, now)));
        return CompletableFuture.completedFuture(ages);
    }

    @Override
    public synchronized CompletionStage<Boolean> claimCleanup(NodeId dead, NodeId by, Duration lease) {
        Instant now = clock.instant();
        Instant until = claims.get(dead);
        if (until != null && now.isBefore(until)) {
            return CompletableFuture.completedFuture(false);
        }
        claims.put(dead, now.plus(lease));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletionStage<Boolean> forget(NodeId node, Duration silentFor) {
        Instant last = beats.get(node);
        if (last == null || Duration.between(last, clock.instant()).compareTo(silentFor) < 0) {
            return CompletableFuture.completedFuture(false);
        }
        beats.remove(node);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Void> leave(NodeId node) {
        beats.remove(node);
        return CompletableFuture.completedFuture(null);
    }
}
