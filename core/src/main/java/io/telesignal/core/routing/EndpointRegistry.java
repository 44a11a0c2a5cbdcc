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

    /** Where the endpoint is; may answer from a copy this node keeps (see {@link #forget}). */
    CompletionStage<Optional<Endpoint>> find(EndpointId id);

    /**
     * A delivery did not find the endpoint where {@link #find} said it was: a registry that keeps copies of locations
     * drops its copy, so that the next {@code find} asks the shared registry. Nothing to do for one that keeps none.
     */
    default void forget(EndpointId id) {}

    CompletionStage<List<Endpoint>> endpointsOf(UserId user);

    /** Every endpoint a node holds; used to clean up after a node that died. */
    CompletionStage<List<Endpoint>> endpointsOn(NodeId node);
}
