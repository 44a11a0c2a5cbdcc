package io.telesignal.core.consultation;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.consultation.ConsultationException.Reason;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.Router;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consultation operations as every front door sees them.
 *
 * <p>Algorithm per operation: read the consultation; ask {@link ConsultationPolicy} (a refusal is audited with
 * outcome {@code denied} and answered {@code not_authorized}); apply the transition; store it with
 * compare-and-set on the version, re-reading and re-deciding on a conflict (up to {@value #ATTEMPTS} times);
 * audit the outcome; tell the attendees through the router (participants, waiting room, admission). The
 * returned future completes after the audit record is written.
 */
public final class ConsultationService {
    private static final Logger LOG = LoggerFactory.getLogger(ConsultationService.class);
    static final int ATTEMPTS = 5;

    private final ConsultationStore store;
    private final ConsultationPolicy policy;
    private final AuditTrail audit;
    private final Router router;
    private final Clock clock;
    private final int defaultMaxParticipants;

    public ConsultationService(ConsultationStore store, ConsultationPolicy policy, AuditTrail audit, Router router,
            Clock clock, int defaultMaxParticipants) {
        this.store = store;
        this.policy = policy;
        this.audit = audit;
        this.router = router;
        this.clock = clock;
        this.defaultMaxParticipants = defaultMaxParticipants;
    }

    /** Context of one attempt for the audit trail: the endpoint and remote address it came from. */
    public record Origin(String endpoint, String remoteAddress) {
        public static final Origin NONE = new Origin(null, null);
    }

    /** Creates a consultation; a provider who creates one is listed as its provider. */
    public CompletionStage<Consultation> create(Actor actor, Map<UserId, Role> participants,
            Optional<Instant> scheduledFor, Optional<Integer> maxParticipants, Origin origin) {
        if (!actor.hasAny(Role.PROVIDER, Role.STAFF, Role.ADMIN)) {
            return refuse(actor, "consultation.created", null, origin);
        }
        Map<UserId, Role> listed = new java.util.HashMap<>(participants);
        if (actor.hasAny(Role.PROVIDER)) {
            // a provider creating a consultation runs it, unless they listed themselves otherwise
            listed.putIfAbsent(actor.user(), Role.PROVIDER);
        }
        Consultation consultation = Consultation.create(ConsultationId.random(), listed,
                maxParticipants.orElse(defaultMaxParticipants), actor.user(), clock.instant(), scheduledFor);
        return store.create(consultation)
                .thenCompose(done -> record(AuditEvent.of("consultation.created", actor.user().value(), Outcome.OK)
                        .consultation(consultation.id().value()), origin))
                .thenApply(done -> consultation);
    }

    public CompletionStage<Consultation> get(Actor actor, ConsultationId id) {
        return load(id).thenCompose(c -> policy.allows(actor, Action.VIEW, c, Optional.empty())
                ? CompletableFuture.completedFuture(c)
                : refuse(actor, "consultation.viewed", id, Origin.NONE));
    }

    /** The consultation, without any authorization: for core services that decided already. */
    public CompletionStage<Optional<Consultation>> find(ConsultationId id) {
        return store.find(id);
    }

    /** Open consultations that list or seat the user. */
    public CompletionStage<List<Consultation>> involving(UserId user) {
        return store.involving(user);
    }

    /** All consultations, newest first: for staff and admins (API keys act as staff). */
    public CompletionStage<List<Consultation>> list(Actor actor, int offset, int limit) {
        if (!actor.hasAny(Role.STAFF, Role.ADMIN)) {
            return refuse(actor, "consultation.listed", null, Origin.NONE);
        }
        return store.list(offset, limit);
    }

    /** Joins; a provider or staff member is admitted at once, everyone else waits. */
    public CompletionStage<Consultation> join(Actor actor, ConsultationId id, EndpointId endpoint,
            Optional<Role> invitedAs, Origin origin) {
        return transition(actor, id, Action.JOIN, invitedAs, "consultation.joined", null, origin, c -> {
            Role role = policy.joinRole(actor, c, invitedAs).orElseThrow();
            return c.join(actor, role, endpoint, clock.instant());
        }).thenApply(c -> {
            boolean admitted = c.isAdmitted(actor.user());
            tell(c, actor.user(), admitted ? AdmissionChanged.Status.ADMITTED : AdmissionChanged.Status.WAITING);
            broadcast(c);
            return c;
        });
    }

    public CompletionStage<Consultation> leave(Actor actor, ConsultationId id, EndpointId endpoint, Origin origin) {
        return transition(actor, id, Action.LEAVE, Optional.empty(), "consultation.left", null, origin,
                c -> c.leave(actor.user(), endpoint, clock.instant()))
                .thenApply(c -> {
                    broadcast(c);
                    return c;
                });
    }

    public CompletionStage<Consultation> admit(Actor actor, ConsultationId id, UserId target, Origin origin) {
        return transition(actor, id, Action.ADMIT, Optional.empty(), "consultation.admitted", target, origin,
                c -> c.admit(target, clock.instant()))
                .thenApply(c -> {
                    tell(c, target, AdmissionChanged.Status.ADMITTED);
                    broadcast(c);
                    return c;
                });
    }

    public CompletionStage<Consultation> deny(Actor actor, ConsultationId id, UserId target, Origin origin) {
        Consultation[] before = new Consultation[1];
        return transition(actor, id, Action.DENY, Optional.empty(), "consultation.denied", target, origin, c -> {
            before[0] = c;
            return c.deny(target, clock.instant());
        }).thenApply(c -> {
            tell(before[0], target, AdmissionChanged.Status.DENIED);
            broadcast(c);
            return c;
        });
    }

    public CompletionStage<Consultation> remove(Actor actor, ConsultationId id, UserId target, Origin origin) {
        Consultation[] before = new Consultation[1];
        return transition(actor, id, Action.REMOVE, Optional.empty(), "consultation.removed", target, origin, c -> {
            before[0] = c;
            return c.remove(target, clock.instant());
        }).thenApply(c -> {
            tell(before[0], target, AdmissionChanged.Status.REMOVED);
            broadcast(c);
            return c;
        });
    }

    public CompletionStage<Consultation> end(Actor actor, ConsultationId id, Origin origin) {
        Consultation[] before = new Consultation[1];
        return transition(actor, id, Action.END, Optional.empty(), "consultation.ended", null, origin, c -> {
            before[0] = c;
            return c.end(clock.instant());
        }).thenApply(c -> {
            for (Attendee attendee : before[0].attendees().values()) {
                tell(before[0], attendee.user(), AdmissionChanged.Status.ENDED);
            }
            return c;
        });
    }

    /**
     * Endpoints that went without a goodbye (their node died or restarted) are taken off this consultation; their
     * attendees stay, away, in their place (see {@link Attendee}). Audited per attendee who went away
     * ({@code consultation.away}); the others are told.
     */
    public CompletionStage<Consultation> endpointsLost(ConsultationId id, java.util.Set<EndpointId> lost) {
        return attendanceChange(id, current -> current.lose(lost, clock.instant()), (before, after) ->
                after.attendees().values().stream()
                        .filter(a -> a.away() && before.attendee(a.user()).filter(was -> !was.away()).isPresent())
                        .map(a -> AuditEvent.of("consultation.away", a.user().value(), Outcome.OK)
                                .consultation(id.value()).reason("endpoint_lost"))
                        .toList());
    }

    /**
     * Removes the attendees away since before {@code cutoff}: they did not come back within the rejoin grace. Each
     * is audited as having left ({@code consultation.left}, reason {@code away_expired}); the others are told.
     */
    public CompletionStage<Consultation> dropAway(ConsultationId id, Instant cutoff) {
        return attendanceChange(id, current -> current.dropAway(cutoff, clock.instant()), (before, after) ->
                before.attendees().values().stream()
                        .filter(a -> !after.attendees().containsKey(a.user()))
                        .map(a -> AuditEvent.of("consultation.left", a.user().value(), Outcome.OK)
                                .consultation(id.value()).reason("away_expired"))
                        .toList());
    }

    /**
     * A change of attendance that no participant asked for (the system saw connections go): stored with
     * compare-and-set like any transition, audited with the records {@code audits} makes of the value before and
     * after, then told to the attendees. Nothing happens to an ended consultation or when nothing changed.
     */
    private CompletionStage<Consultation> attendanceChange(ConsultationId id, UnaryOperator<Consultation> change,
            java.util.function.BiFunction<Consultation, Consultation, List<AuditEvent.Builder>> audits) {
        Consultation[] before = new Consultation[1];
        return compareAndSet(id, current -> {
            before[0] = current;
            return current.ended() ? current : change.apply(current);
        }, 1).thenCompose(c -> {
            if (c == before[0]) {
                return CompletableFuture.completedFuture(c);
            }
            CompletionStage<Void> audited = CompletableFuture.completedFuture(null);
            for (AuditEvent.Builder event : audits.apply(before[0], c)) {
                audited = audited.thenCompose(done -> record(event, Origin.NONE));
            }
            return audited.thenApply(done -> {
                broadcast(c);
                return c;
            });
        });
    }

    /** Consultations that are not ended and have someone attending (present or away). */
    public CompletionStage<List<Consultation>> attended() {
        return store.attended();
    }

    /**
     * Lists a user with a role, for an invite that was redeemed; the invite was the authorization. Audited by
     * the caller.
     */
    public CompletionStage<Consultation> listParticipant(ConsultationId id, UserId user, Role role) {
        return compareAndSet(id, current -> current.list(user, role), 1);
    }

    /** Whether the actor may do something that does not change the consultation (signal, chat, invite). */
    public CompletionStage<Consultation> authorize(Actor actor, ConsultationId id, Action action, Origin origin) {
        return load(id).thenCompose(c -> allows(actor, action, c) ? CompletableFuture.completedFuture(c)
                // this node's copy may lag a change another node just made: refuse only what the latest refuses
                : latest(id).thenCompose(latest -> {
                    if (latest.ended()) {
                        return CompletableFuture.failedFuture(new ConsultationException(Reason.CONSULTATION_ENDED,
                                "consultation " + id + " has ended"));
                    }
                    return allows(actor, action, latest) ? CompletableFuture.completedFuture(latest)
                            : refuse(actor, "consultation." + action.wireName(), id, origin);
                }));
    }

    private boolean allows(Actor actor, Action action, Consultation c) {
        return !c.ended() && policy.allows(actor, action, c, Optional.empty());
    }

    /**
     * The latest version of the consultation, past any copy this node keeps that may lag another node's change: for a
     * decision that would refuse on the copy (a peer not admitted yet, as far as the copy knows).
     */
    public CompletionStage<Consultation> latest(ConsultationId id) {
        return store.findLatest(id).thenApply(found -> found.orElseThrow(() ->
                new ConsultationException(Reason.CONSULTATION_NOT_FOUND, "no consultation " + id)));
    }

    private CompletionStage<Consultation> transition(Actor actor, ConsultationId id, Action action,
            Optional<Role> invitedAs, String auditType, UserId subject, Origin origin,
            UnaryOperator<Consultation> change) {
        return compareAndSet(id, authorized(actor, id, action, invitedAs, change), 1)
                .handle((updated, failure) -> {
                    Throwable cause = io.telesignal.core.work.Failures.cause(failure);
                    AuditEvent.Builder event = AuditEvent.of(auditType, actor.user().value(),
                            failure == null ? Outcome.OK : cause instanceof ConsultationException ce
                                    && ce.reason() == Reason.NOT_AUTHORIZED ? Outcome.DENIED : Outcome.FAILED)
                            .consultation(id.value())
                            .subject(subject == null ? null : subject.value())
                            .endpoint(origin.endpoint())
                            .remoteAddress(origin.remoteAddress())
                            .reason(failure == null ? null : code(cause));
                    return record(event, origin).thenCompose(done -> failure == null
                            ? CompletableFuture.completedFuture(updated)
                            : CompletableFuture.<Consultation>failedFuture(cause));
                })
                .thenCompose(stage -> stage);
    }

    /** The change, behind the policy's decision on the current value. */
    private UnaryOperator<Consultation> authorized(Actor actor, ConsultationId id, Action action,
            Optional<Role> invitedAs, UnaryOperator<Consultation> change) {
        return current -> {
            if (action == Action.JOIN && current.ended()) {
                throw new ConsultationException(Reason.CONSULTATION_ENDED, "consultation " + id + " has ended");
            }
            if (!policy.allows(actor, action, current, invitedAs)) {
                throw new ConsultationException(Reason.NOT_AUTHORIZED, action.wireName() + " not allowed");
            }
            return change.apply(current);
        };
    }

    /**
     * Reads, decides and stores with compare-and-set on the version; on a conflict reads and decides again (the
     * decision may differ on the newer value), up to {@value #ATTEMPTS} times. A change that changes nothing is
     * not stored.
     */
    private CompletionStage<Consultation> compareAndSet(ConsultationId id, UnaryOperator<Consultation> decide,
            int attempt) {
        // decided on the latest version: a lagging copy would refuse what is allowed (admitting someone it has not seen
        // join yet) or lose the compare-and-set
        return latest(id).thenCompose(current -> {
            Consultation updated = decide.apply(current);
            if (updated == current) {
                return CompletableFuture.completedFuture(current);
            }
            return store.replace(current.version(), updated).thenCompose(replaced -> {
                if (replaced) {
                    return CompletableFuture.completedFuture(updated);
                }
                if (attempt >= ATTEMPTS) {
                    throw new ConsultationException(Reason.CONFLICT, "consultation " + id + " kept changing");
                }
                return compareAndSet(id, decide, attempt + 1);
            });
        });
    }

    private CompletionStage<Consultation> load(ConsultationId id) {
        return store.find(id).thenApply(found -> found.orElseThrow(() ->
                new ConsultationException(Reason.CONSULTATION_NOT_FOUND, "no consultation " + id)));
    }

    private <T> CompletionStage<T> refuse(Actor actor, String auditType, ConsultationId id, Origin origin) {
        return record(AuditEvent.of(auditType, actor.user().value(), Outcome.DENIED)
                .consultation(id == null ? null : id.value()).reason("not_authorized"), origin)
                .thenCompose(done -> CompletableFuture.failedFuture(
                        new ConsultationException(Reason.NOT_AUTHORIZED, auditType + " not allowed")));
    }

    private CompletionStage<Void> record(AuditEvent.Builder event, Origin origin) {
        if (origin.endpoint() != null) {
            event.endpoint(origin.endpoint());
        }
        if (origin.remoteAddress() != null) {
            event.remoteAddress(origin.remoteAddress());
        }
        return audit.record(event).thenApply(r -> null);
    }

    /** Participants to every admitted attendee; the waiting room to admitted providers. */
    private void broadcast(Consultation c) {
        // snapshots carry the consultation's version: fan-out order follows the audit queue, not the store, so a
        // receiver keeps the highest version it has seen
        ParticipantsChanged participants = new ParticipantsChanged(c.id(), c.state(), c.admitted(), c.version());
        WaitingRoomChanged waitingRoom = new WaitingRoomChanged(c.id(), c.waiting(), c.version());
        for (Attendee attendee : c.admitted()) {
            send(attendee, participants);
            if (attendee.role() == Role.PROVIDER) {
                send(attendee, waitingRoom);
            }
        }
    }

    private void tell(Consultation c, UserId user, AdmissionChanged.Status status) {
        c.attendee(user).ifPresent(attendee -> send(attendee, new AdmissionChanged(c.id(), status)));
    }

    private void send(Attendee attendee, CoreEvent event) {
        for (EndpointId endpoint : attendee.endpoints()) {
            router.deliver(endpoint, event).whenComplete((outcome, failure) -> {
                if (failure != null || outcome != io.telesignal.core.routing.DeliveryOutcome.DELIVERED) {
                    LOG.info("event=consultation_notify outcome={} endpoint={} type={}",
                            failure != null ? "failed" : outcome.name().toLowerCase(java.util.Locale.ROOT),
                            endpoint, event.type());
                }
            });
        }
    }

    private static String code(Throwable cause) {
        return cause instanceof io.telesignal.core.DomainException domain ? domain.code() : "internal_error";
    }
}
