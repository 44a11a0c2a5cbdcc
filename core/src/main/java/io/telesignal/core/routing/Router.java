package io.telesignal.core.routing;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Delivers core events to endpoints wherever they are connected.
 *
 * <p>Algorithm: look the endpoint up in the registry; if this node holds it, offer the event to its local
 * sink; otherwise hand it to the {@link NodeLink} for the holding node. A registry entry for this node with
 * no local sink is stale (the connection closed between the lookup and the offer) and counts as
 * {@code NOT_CONNECTED}. An endpoint not found where the registry said is looked up once more, past any copy of the
 * registry this node keeps (it moved meanwhile). An endpoint whose node cannot be reached is given to the {@link Fallback}, which keeps the
 * event for the endpoint's session wherever it resumes. Callers always get an outcome per endpoint: nothing is dropped
 * silently.
 */
public final class Router {
    private final NodeId self;
    private final EndpointRegistry registry;
    private final LocalEndpoints local;
    private final NodeLink link;
    /** The endpoints this node holds, as registered: put back when the registry lost them. */
    private final java.util.Map<EndpointId, Endpoint> held = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Fallback fallback = (endpoint, event) -> CompletableFuture.completedFuture(
            DeliveryOutcome.NODE_UNREACHABLE);

    /**
     * Takes an event for an endpoint whose node cannot be reached (it died), so that the endpoint has it when its
     * client resumes on another node; a front door without resumable sessions answers {@code NODE_UNREACHABLE}, and
     * {@code NOT_CONNECTED} when the endpoint's session has moved to another node meanwhile (the router then looks
     * the endpoint up once more).
     */
    @FunctionalInterface
    public interface Fallback {
        CompletionStage<DeliveryOutcome> deposit(Endpoint endpoint, CoreEvent event);
    }

    public Router(NodeId self, EndpointRegistry registry, LocalEndpoints local, NodeLink link) {
        this.self = self;
        this.registry = registry;
        this.local = local;
        this.link = link;
    }

    public NodeId self() {
        return self;
    }

    /** Where endpoints are: shared by every node in cluster mode. */
    public EndpointRegistry registry() {
        return registry;
    }

    /** Registers a connection of this node and attaches its sink. */
    public CompletionStage<Void> connect(Endpoint endpoint, EndpointSink sink) {
        if (!endpoint.node().equals(self)) {
            throw new IllegalArgumentException("endpoint " + endpoint.id() + " belongs to node " + endpoint.node());
        }
        local.attach(endpoint.id(), sink);
        held.put(endpoint.id(), endpoint);
        return registry.register(endpoint);
    }

    /** Where events go when an endpoint's node cannot be reached (cluster mode). */
    public void fallback(Fallback fallback) {
        this.fallback = fallback;
    }

    /**
     * Lets go of an endpoint another node holds now (its session moved there): it leaves this node's connections, and
     * stays registered, under the node that holds it.
     */
    public void release(EndpointId id) {
        local.detach(id);
        held.remove(id);
    }

    public CompletionStage<Void> disconnect(EndpointId id) {
        local.detach(id);
        held.remove(id);
        return registry.unregister(id).thenApply(removed -> null);
    }

    /**
     * Registers again every endpoint this node holds (the shared registry forgot them: Redis restarted, or the others
     * took this node for dead); answers how many.
     */
    public CompletionStage<Integer> reregister() {
        CompletionStage<Integer> count = CompletableFuture.completedFuture(0);
        for (Endpoint endpoint : List.copyOf(held.values())) {
            count = count.thenCompose(n -> registry.register(endpoint).thenCompose(done -> {
                // it disconnected while this ran: take it out again, or it would stay listed for good
                if (held.get(endpoint.id()) != endpoint) {
                    return registry.unregisterFrom(endpoint.id(), self).thenApply(removed -> n);
                }
                return CompletableFuture.completedFuture(n + 1);
            }));
        }
        return count;
    }

    public CompletionStage<DeliveryOutcome> deliver(EndpointId id, CoreEvent event) {
        return deliver(id, event, false);
    }

    private CompletionStage<DeliveryOutcome> deliver(EndpointId id, CoreEvent event, boolean again) {
        return registry.find(id).thenCompose(found -> found
                .map(endpoint -> route(endpoint, event, again))
                .orElse(NOT_HERE));
    }

    /** Delivers to every endpoint of the user; an empty map means the user has none connected. */
    public CompletionStage<Map<EndpointId, DeliveryOutcome>> deliverToUser(UserId user, CoreEvent event) {
        return registry.endpointsOf(user).thenCompose(endpoints -> {
            Map<EndpointId, DeliveryOutcome> outcomes = new LinkedHashMap<>();
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (Endpoint endpoint : endpoints) {
                CompletableFuture<DeliveryOutcome> one = route(endpoint, event, false).toCompletableFuture()
                        .exceptionally(failure -> DeliveryOutcome.NODE_UNREACHABLE);
                all = all.thenCombine(one, (ignored, outcome) -> {
                    synchronized (outcomes) {
                        outcomes.put(endpoint.id(), outcome);
                    }
                    return null;
                });
            }
            return all.thenApply(ignored -> Map.copyOf(outcomes));
        });
    }

    public CompletionStage<List<Endpoint>> endpointsOf(UserId user) {
        return registry.endpointsOf(user);
    }

    /** Entry point for events another node sent to an endpoint this node holds. */
    public CompletionStage<DeliveryOutcome> acceptFromNode(EndpointId id, CoreEvent event) {
        return offerLocally(id, event);
    }

    private CompletionStage<DeliveryOutcome> route(Endpoint endpoint, CoreEvent event, boolean again) {
        CompletionStage<DeliveryOutcome> outcome = endpoint.node().equals(self) ? offerLocally(endpoint.id(), event)
                // a link that fails outright is an unreachable node, reported per endpoint like any other outcome
                : link.send(endpoint.node(), endpoint.id(), event)
                        .exceptionally(failure -> DeliveryOutcome.NODE_UNREACHABLE);
        return outcome.thenCompose(result -> result != DeliveryOutcome.NODE_UNREACHABLE ? CompletableFuture
                .completedFuture(result) : fallback.deposit(endpoint, event)
                        .exceptionally(failure -> DeliveryOutcome.NODE_UNREACHABLE))
                .thenCompose(result -> {
                    if (result != DeliveryOutcome.NOT_CONNECTED || again) {
                        return CompletableFuture.completedFuture(result);
                    }
                    // not where the registry said (it moved, or this node's copy of where it is was out of date): once
                    // more, from the shared registry
                    registry.forget(endpoint.id());
                    return deliver(endpoint.id(), event, true);
                });
    }

    private static final CompletionStage<DeliveryOutcome> NOT_HERE = CompletableFuture.completedFuture(
            DeliveryOutcome.NOT_CONNECTED);

    private CompletionStage<DeliveryOutcome> offerLocally(EndpointId id, CoreEvent event) {
        EndpointSink sink = local.find(id).orElse(null);
        return sink == null ? NOT_HERE : sink.offer(event);
    }
}
