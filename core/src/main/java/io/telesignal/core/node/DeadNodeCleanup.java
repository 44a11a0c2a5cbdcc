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
 * by that node now, and is left alone) is unregistered, its presence removed, its calls ended, and it is lost from
 * the consultations
 * its user attends, whose attendees stay there, away, for the rejoin grace. Each endpoint on its own: one that fails
 * is logged and the others go on.
 */
public final class DeadNodeCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(DeadNodeCleanup.class);

    private final EndpointRegistry endpoints;
    private final PresenceService presence;
    private final ConsultationService consultations;
    private final java.util.function.Consumer<io.telesignal.core.identity.EndpointId> callsEnded;
    private final Release release;

    /**
     * The front door's part: gives up an endpoint's session that the dead node held (a resumable session, kept in the
     * shared store, is removed there); answers false when the session moved to another node meanwhile (its client
     * resumed there), and the endpoint is then left alone.
     */
    @FunctionalInterface
    public interface Release {
        CompletionStage<Boolean> release(Endpoint endpoint, NodeId dead);
    }

    public DeadNodeCleanup(EndpointRegistry endpoints, PresenceService presence, ConsultationService consultations) {
        this(endpoints, presence, consultations, endpoint -> { }, (endpoint, dead) -> CompletableFuture
                .completedFuture(true));
    }

    /**
     * @param callsEnded ends the calls an endpoint was in (their records), once it is cleaned up
     * @param release    gives up the endpoint's session first
     */
    public DeadNodeCleanup(EndpointRegistry endpoints, PresenceService presence, ConsultationService consultations,
            java.util.function.Consumer<io.telesignal.core.identity.EndpointId> callsEnded, Release release) {
        this.release = release;
        this.callsEnded = callsEnded;
        this.endpoints = endpoints;
        this.presence = presence;
        this.consultations = consultations;
    }

    /**
     * Answers how many endpoints were cleaned up; fails (after trying every endpoint) when some could not be: those stay
     * registered under the dead node, to be cleaned up by the next try.
     */
    public CompletionStage<Integer> cleanUp(NodeId dead) {
        int[] failed = new int[1];
        return endpoints.endpointsOn(dead).thenCompose(held -> InTurn.count(held, endpoint -> cleanUp(endpoint, dead),
                (endpoint, cause) -> {
                    failed[0]++;
                    LOG.warn("event=node_cleanup_endpoint outcome=failed node={} endpoint={} kind={}", dead,
                            endpoint.id(), cause.getClass().getSimpleName());
                })).thenApply(n -> {
                    LOG.info("event=node_cleanup node={} endpoints={} failed={}", dead, n, failed[0]);
                    if (failed[0] > 0) {
                        throw new IllegalStateException(failed[0] + " endpoints of node " + dead + " not cleaned up");
                    }
                    return n;
                });
    }

    /**
     * One endpoint: out of its consultations and presence first, out of the registry last, so that an endpoint whose
     * cleanup failed is still listed under the dead node for the next try. One that resumed elsewhere meanwhile is
     * held by that node now, and left alone.
     */
    private CompletionStage<Boolean> cleanUp(Endpoint endpoint, NodeId dead) {
        // the session first: a client that resumes elsewhere and this cleanup meet there, one after the other
        return release.release(endpoint, dead).thenCompose(released -> released ? cleanUpReleased(endpoint, dead)
                : CompletableFuture.completedFuture(false));
    }

    private CompletionStage<Boolean> cleanUpReleased(Endpoint endpoint, NodeId dead) {
        return endpoints.find(endpoint.id()).thenCompose(current -> {
            if (current.isEmpty() || !current.get().node().equals(dead)) {
                return CompletableFuture.completedFuture(false); // gone, or resumed elsewhere
            }
            return presence.endpointGone(endpoint.user(), endpoint.id())
                    .thenCompose(done -> consultations.involving(endpoint.user()))
                    .thenCompose(attended -> lose(attended, endpoint))
                    .thenApply(done -> {
                        callsEnded.accept(endpoint.id());
                        return done;
                    })
                    .thenCompose(done -> endpoints.unregisterFrom(endpoint.id(), dead))
                    .thenApply(removed -> removed.isPresent());
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
