package io.telesignal.core.node;

import io.telesignal.core.identity.NodeId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * SPI: the nodes of a cluster and how long ago each was last heard from. Time is the registry's own clock (Redis's
 * in cluster mode), never a node's, so nodes whose clocks disagree still agree on who is dead.
 */
public interface NodeRegistry {
    /**
     * Records that {@code node} is alive now; answers whether the registry knew it already. False after the first beat
     * means the node was forgotten meanwhile: the others took it for dead and cleaned up after it, or the registry lost
     * its state (a Redis restart). Either way what it holds must be registered again.
     */
    CompletionStage<Boolean> heartbeat(NodeId node);

    /** Every node not forgotten yet, with how long ago its last heartbeat was. */
    CompletionStage<Map<NodeId, Duration>> nodes();

    /**
     * Claims the cleanup of a dead node for {@code lease}: answers true to exactly one caller while the lease runs, so
     * that one node cleans up after another, not all of them at once.
     */
    CompletionStage<Boolean> claimCleanup(NodeId dead, NodeId by, Duration lease);

    /**
     * Forgets a node that was cleaned up, unless it beat its heartbeat again within {@code silentFor} (it came back):
     * answers whether it was forgotten.
     */
    CompletionStage<Boolean> forget(NodeId node, Duration silentFor);

    /** A node that stops gracefully leaves at once: nobody waits for its heartbeat to lapse. */
    CompletionStage<Void> leave(NodeId node);
}
