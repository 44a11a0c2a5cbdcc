package io.telesignal.core.routing;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The node link of a server with no peers: any other node is unreachable by definition. */
public final class SingleNodeLink implements NodeLink {
    @Override
    public CompletionStage<DeliveryOutcome> send(NodeId node, EndpointId endpoint, CoreEvent event) {
        return CompletableFuture.completedFuture(DeliveryOutcome.NODE_UNREACHABLE);
    }
}
