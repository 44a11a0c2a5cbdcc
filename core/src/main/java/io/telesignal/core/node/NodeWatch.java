package io.telesignal.core.node;

import io.telesignal.core.identity.NodeId;
import io.telesignal.core.work.Failures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster, one {@link #tick} at a time (run every heartbeat interval): beats this node's
 * heartbeat, notices nodes that went silent for longer than {@code deadAfter}, and once one has been silent for
 * {@code deadAfter + grace} — long enough for its clients to have resumed on the others — claims its cleanup (exactly
 * one node wins the claim), runs it, and forgets the node. A node that beats again before it is forgotten was not
 * dead after all, and nothing of it is touched.
 *
 * <p>When the registry no longer knows this node (the others cleaned up after it during a long partition or pause, or
 * Redis lost its state in a restart), {@code reregister} puts back what this node holds: its endpoints, their presence.
 */
public final class NodeWatch {
    private static final Logger LOG = LoggerFactory.getLogger(NodeWatch.class);
    /** How long a claim keeps the others off a dead node's cleanup: long enough to finish it. */
    static final Duration CLAIM = Duration.ofMinutes(2);

    private final NodeId self;
    private final NodeRegistry registry;
    private final Duration deadAfter;
    private final Duration grace;
    private final Function<NodeId, CompletionStage<Integer>> cleanup;
    private final java.util.function.Supplier<CompletionStage<Integer>> reregister;
    private volatile boolean beaten;
    /** When the last heartbeat got through (System.nanoTime), 0 before the first. */
    private volatile long lastBeat;
    private final java.util.function.LongSupplier nanos;
    private final Set<NodeId> silent = ConcurrentHashMap.newKeySet();
    /** Dead nodes this node claimed whose cleanup failed part way: run again on the next ticks. */
    private final Set<NodeId> unfinished = ConcurrentHashMap.newKeySet();
    private volatile boolean registryReachable = true;

    public NodeWatch(NodeId self, NodeRegistry registry, Duration deadAfter, Duration grace,
            Function<NodeId, CompletionStage<Integer>> cleanup) {
        this(self, registry, deadAfter, grace, cleanup, () -> CompletableFuture.completedFuture(0));
    }

    public NodeWatch(NodeId self, NodeRegistry registry, Duration deadAfter, Duration grace,
            Function<NodeId, CompletionStage<Integer>> cleanup,
            java.util.function.Supplier<CompletionStage<Integer>> reregister) {
        this(self, registry, deadAfter, grace, cleanup, reregister, System::nanoTime);
    }

    NodeWatch(NodeId self, NodeRegistry registry, Duration deadAfter, Duration grace,
            Function<NodeId, CompletionStage<Integer>> cleanup,
            java.util.function.Supplier<CompletionStage<Integer>> reregister, java.util.function.LongSupplier nanos) {
        this.nanos = nanos;
        this.reregister = reregister;
        this.self = self;
        this.registry = registry;
        this.deadAfter = deadAfter;
        this.grace = grace;
        this.cleanup = cleanup;
    }

    /** Whether another node has been silent for longer than the timeout, as of the last tick. */
    public boolean isDown(NodeId node) {
        return silent.contains(node);
    }

    /** Whether the last tick reached the registry (readiness reports it). */
    public boolean registryReachable() {
        return registryReachable;
    }

    /** One round: heartbeat, then look at the others. Answers the nodes cleaned up in this round. */
    public CompletionStage<Set<NodeId>> tick() {
        return registry.heartbeat(self).thenCompose(known -> {
            boolean first = !beaten;
            beaten = true;
            long now = nanos.getAsLong();
            // silent for as long as the others wait before calling a node down (a long pause, Redis away): they may
            // have dropped this node's endpoints from the consultations its users joined again elsewhere
            boolean late = lastBeat != 0 && now - lastBeat >= deadAfter.toNanos();
            lastBeat = now;
            if (first || known && !late) {
                return CompletableFuture.completedFuture(0);
            }
            LOG.warn("event=node_forgotten node={} action=reregister reason={}", self, known ? "late" : "unknown");
            return reregister.get().thenApply(n -> {
                LOG.info("event=node_reregistered node={} endpoints={}", self, n);
                return n;
            });
        }).thenCompose(done -> registry.nodes()).thenCompose(this::look)
                .whenComplete((cleaned, failure) -> {
                    boolean reachable = failure == null;
                    if (reachable != registryReachable) {
                        if (reachable) {
                            LOG.info("event=node_registry outcome=reachable node={}", self);
                        } else {
                            LOG.warn("event=node_registry outcome=unreachable node={} kind={}", self,
                                    Failures.cause(failure).getClass().getSimpleName());
                        }
                    }
                    registryReachable = reachable;
                });
    }

    private CompletionStage<Set<NodeId>> look(Map<NodeId, Duration> nodes) {
        Set<NodeId> cleaned = ConcurrentHashMap.newKeySet();
        List<NodeId> retry = List.copyOf(unfinished); // those of earlier ticks, not one failing in this one
        CompletionStage<Void> all = CompletableFuture.completedFuture(null);
        for (Map.Entry<NodeId, Duration> node : nodes.entrySet()) {
            NodeId other = node.getKey();
            Duration age = node.getValue();
            if (other.equals(self)) {
                continue;
            }
            if (age.compareTo(deadAfter) < 0) {
                if (silent.remove(other)) {
                    LOG.info("event=node_back node={}", other);
                }
                continue;
            }
            if (silent.add(other)) {
                LOG.warn("event=node_silent node={} silent_ms={} cleanup_in_ms={}", other, age.toMillis(),
                        deadAfter.plus(grace).minus(age).toMillis());
            }
            if (age.compareTo(deadAfter.plus(grace)) >= 0) {
                // forgotten first: should it beat again during the cleanup, it learns it was forgotten and registers
                // what it holds again, instead of going on with its endpoints taken out under it
                all = all.thenCompose(done -> registry.claimCleanup(other, self, CLAIM)
                        .thenCompose(claimed -> claimed ? registry.forget(other, deadAfter.plus(grace))
                                : CompletableFuture.completedFuture(false))
                        .thenCompose(forgotten -> {
                            silent.remove(other);
                            if (!forgotten) {
                                return CompletableFuture.completedFuture(null);
                            }
                            cleaned.add(other);
                            return cleanUp(other);
                        }));
            }
        }
        // a cleanup that failed part way is run again by the node that claimed it, until it is done
        for (NodeId pending : retry) {
            all = all.thenCompose(done -> cleanUp(pending));
        }
        return all.thenApply(done -> cleaned);
    }

    private CompletionStage<Void> cleanUp(NodeId dead) {
        return cleanup.apply(dead).handle((n, failure) -> {
            if (failure == null) {
                unfinished.remove(dead);
            } else {
                unfinished.add(dead);
                LOG.warn("event=node_cleanup outcome=unfinished node={} action=retry kind={}", dead,
                        Failures.cause(failure).getClass().getSimpleName());
            }
            return null;
        });
    }
}
