package io.telesignal.core.routing;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SPI: which endpoints exist and on which node. Shared by every node in cluster mode (Redis), so every
 * operation is asynchronous.
 */
public interface EndpointRegistry {
    CompletionStage<Void> register(Endpoint endpoint);

    /** Removes the endpoint; answers the removed entry, if there was one. */
    CompletionStage<Optional<Endpoint>> unregister(EndpointId id);

    /**
     * Removes the endpoint only if {@code node} still holds it (cleanup after a dead node must not remove an endpoint
     * that resumed on another node meanwhile); answers the removed entry, if it was removed.
     */
    CompletionStage<Optional<Endpoint>> unregisterFrom(EndpointId id, NodeId node);

    CompletionStage<Optional<Endpoint>> find(EndpointId id);

    CompletionStage<List<Endpoint>> endpointsOf(UserId user);

    /** Every endpoint a node holds; used to clean up after a node that died. */
    CompletionStage<List<Endpoint>> endpointsOn(NodeId node);
}
