package io.telesignal.core.routing;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Endpoint registry for a single node: a concurrent map, every answer already complete. */
public final class InMemoryEndpointRegistry implements EndpointRegistry {
    private final Map<EndpointId, Endpoint> endpoints = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> register(Endpoint endpoint) {
        endpoints.put(endpoint.id(), endpoint);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<Endpoint>> unregister(EndpointId id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(endpoints.remove(id)));
    }

    @Override
    public CompletionStage<Optional<Endpoint>> unregisterFrom(EndpointId id, NodeId node) {
        Endpoint[] removed = new Endpoint[1];
        endpoints.computeIfPresent(id, (key, current) -> {
            if (current.node().equals(node)) {
                removed[0] = current;
                return null;
            }
            return current;
        });
        return CompletableFuture.completedFuture(Optional.ofNullable(removed[0]));
    }

    @Override
    public CompletionStage<Optional<Endpoint>> find(EndpointId id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(endpoints.get(id)));
    }

    @Override
    public CompletionStage<List<Endpoint>> endpointsOf(UserId user) {
        return CompletableFuture.completedFuture(endpoints.values().stream()
                .filter(e -> e.user().equals(user))
                .sorted(Comparator.comparing(Endpoint::connectedAt))
                .toList());
    }

    @Override
    public CompletionStage<List<Endpoint>> endpointsOn(NodeId node) {
        return CompletableFuture.completedFuture(endpoints.values().stream()
                .filter(e -> e.node().equals(node))
                .toList());
    }
}
