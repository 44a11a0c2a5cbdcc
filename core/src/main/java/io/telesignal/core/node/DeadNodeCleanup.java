package io.telesignal.core.node;

import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.presence.PresenceService;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.EndpointRegistry;
import io.telesignal.core.work.InTurn;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after a node that died: every endpoint it still holds (one that resumed on another node meanwhile is held
 * by that node now, and is left alone) is unregistered, its presence removed, and it is lost from the consultations
 * its user attends, whose attendees stay there, away, for the rejoin grace. Each endpoint on its own: one that fails
 * is logged and the others go on.
 */
public final class DeadNodeCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(DeadNodeCleanup.class);

    private final EndpointRegistry endpoints;
    private final PresenceService presence;
    private final ConsultationService consultations;

    public DeadNodeCleanup(EndpointRegistry endpoints, PresenceService presence, ConsultationService consultations) {
        this.endpoints = endpoints;
        this.presence = presence;
        this.consultations = consultations;
    }

    /** Answers how many endpoints were cleaned up. */
    public CompletionStage<Integer> cleanUp(NodeId dead) {
        return endpoints.endpointsOn(dead).thenCompose(held -> InTurn.count(held, endpoint -> cleanUp(endpoint, dead),
                (endpoint, cause) -> LOG.warn("event=node_cleanup_endpoint outcome=failed node={} endpoint={} kind={}",
                        dead, endpoint.id(), cause.getClass().getSimpleName()))).thenApply(n -> {
            LOG.info("event=node_cleanup node={} endpoints={}", dead, n);
            return n;
        });
    }

    private CompletionStage<Boolean> cleanUp(Endpoint endpoint, NodeId dead) {
        return endpoints.unregisterFrom(endpoint.id(), dead).thenCompose(removed -> {
            if (removed.isEmpty()) {
                return CompletableFuture.completedFuture(false); // it resumed elsewhere
            }
            return presence.endpointGone(endpoint.user(), endpoint.id())
                    .thenCompose(done -> consultations.involving(endpoint.user()))
                    .thenCompose(attended -> lose(attended, endpoint))
                    .thenApply(done -> true);
        });
    }

    private CompletionStage<Void> lose(List<Consultation> attended, Endpoint endpoint) {
        CompletionStage<Void> all = CompletableFuture.completedFuture(null);
        for (Consultation c : attended) {
            if (c.endpoints().contains(endpoint.id())) {
                all = all.thenCompose(done -> consultations.endpointsLost(c.id(), Set.of(endpoint.id()))
                        .thenApply(updated -> null));
            }
        }
        return all;
    }
}
