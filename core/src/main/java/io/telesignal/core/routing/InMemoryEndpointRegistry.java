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

/**
 * Endpoint registry for a single node: a concurrent map, and the same endpoints indexed by user (a message to a user
 * looks up that user's endpoints, never scans everyone's); every answer already complete.
 */
public final class InMemoryEndpointRegistry implements EndpointRegistry {
    private final Map<EndpointId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<UserId, Map<EndpointId, Endpoint>> byUser = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> register(Endpoint endpoint) {
        Endpoint replaced = endpoints.put(endpoint.id(), endpoint);
        if (replaced != null && !replaced.user().equals(endpoint.user())) {
            unindex(replaced);
        }
        byUser.compute(endpoint.user(), (user, of) -> {
            Map<EndpointId, Endpoint> kept = of == null ? new ConcurrentHashMap<>() : of;
            kept.put(endpoint.id(), endpoint);
            return kept;
        });
        return CompletableFuture.completedFuture(null);
    }

    private void unindex(Endpoint endpoint) {
        byUser.computeIfPresent(endpoint.user(), (user, of) -> {
            of.remove(endpoint.id(), endpoint);
            return of.isEmpty() ? null : of;
        });
    }

    @Override
    public CompletionStage<Optional<Endpoint>> unregister(EndpointId id) {
        Endpoint removed = endpoints.remove(id);
        if (removed != null) {
            unindex(removed);
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(removed));
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
        if (removed[0] != null) {
            unindex(removed[0]);
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(removed[0]));
    }

    @Override
    public CompletionStage<Optional<Endpoint>> find(EndpointId id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(endpoints.get(id)));
    }

    @Override
    public CompletionStage<List<Endpoint>> endpointsOf(UserId user) {
        Map<EndpointId, Endpoint> of = byUser.get(user);
        if (of == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.completedFuture(of.values().stream()
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
