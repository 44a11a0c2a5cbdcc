package io.telesignal.core.testkit;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.NodeLink;
import io.telesignal.core.routing.Router;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Links several routers in one JVM, as the cluster module links nodes through Redis: an event for another
 * node is handed to that node's router. A node that was {@link #cut} is unreachable.
 */
public final class InProcessNodeLink implements NodeLink {
    private final Map<NodeId, Router> nodes = new ConcurrentHashMap<>();

    public void join(Router router) {
        nodes.put(router.self(), router);
    }

    public void cut(NodeId node) {
        nodes.remove(node);
    }

    @Override
    public CompletionStage<DeliveryOutcome> send(NodeId node, EndpointId endpoint, CoreEvent event) {
        Router target = nodes.get(node);
        return target == null ? CompletableFuture.completedFuture(DeliveryOutcome.NODE_UNREACHABLE)
                : target.acceptFromNode(endpoint, event);
    }
}
