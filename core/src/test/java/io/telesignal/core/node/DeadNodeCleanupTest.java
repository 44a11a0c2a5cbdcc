package io.telesignal.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationPolicy;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.consultation.InMemoryConsultationStore;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.presence.InMemoryPresenceStore;
import io.telesignal.core.presence.Presence;
import io.telesignal.core.presence.PresenceService;
import io.telesignal.core.presence.PresenceStatus;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.InMemoryEndpointRegistry;
import io.telesignal.core.routing.LocalEndpoints;
import io.telesignal.core.routing.Router;
import io.telesignal.core.testkit.InProcessNodeLink;
import io.telesignal.core.testkit.MutableClock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two nodes sharing their registry, presence and consultations, as they would share Redis and PostgreSQL. */
class DeadNodeCleanupTest {
    private static final NodeId LIVE = new NodeId("live");
    private static final NodeId DEAD = new NodeId("dead");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final AuditTrail audit = new AuditTrail(new InMemoryAuditLog(), clock, 1000);
    private final InMemoryEndpointRegistry endpoints = new InMemoryEndpointRegistry();
    private final PresenceService presence = new PresenceService(new InMemoryPresenceStore(), clock);
    private final InProcessNodeLink link = new InProcessNodeLink();
    private final Router router = new Router(LIVE, endpoints, new LocalEndpoints(), link);
    private final ConsultationService consultations = new ConsultationService(new InMemoryConsultationStore(),
            new ConsultationPolicy(), audit, router, clock, 8);
    private final Actor doctor = new Actor(new UserId("doctor"), "Dr D", Set.of(Role.PROVIDER));
    private final Actor patient = new Actor(new UserId("patient"), "Pat", Set.of(Role.PATIENT));

    @AfterEach
    void close() {
        audit.close();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private EndpointId on(NodeId node, Actor actor, String id) {
        EndpointId endpoint = new EndpointId(id);
        join(endpoints.register(new Endpoint(endpoint, actor.user(), FrontDoor.WEBSOCKET, node, "127.0.0.1",
                clock.instant())));
        join(presence.update(actor.user(), endpoint, new Presence(PresenceStatus.AVAILABLE, "")));
        return endpoint;
    }

    @Test
    void theDeadNodesEndpointsGoAndTheirAttendeesWaitAwayWhileResumedOnesStay() {
        Consultation c = join(consultations.create(doctor, Map.of(doctor.user(), Role.PROVIDER, patient.user(),
                Role.PATIENT), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE));
        EndpointId doctorTab = on(LIVE, doctor, "ws-d");
        EndpointId patientTab = on(DEAD, patient, "ws-p");
        EndpointId resumed = on(DEAD, doctor, "ws-d2");
        join(consultations.join(doctor, c.id(), doctorTab, Optional.empty(), ConsultationService.Origin.NONE));
        join(consultations.join(doctor, c.id(), resumed, Optional.empty(), ConsultationService.Origin.NONE));
        join(consultations.join(patient, c.id(), patientTab, Optional.empty(), ConsultationService.Origin.NONE));
        join(consultations.admit(doctor, c.id(), patient.user(), ConsultationService.Origin.NONE));
        // the doctor's second tab resumed on the live node before the cleanup
        join(endpoints.register(new Endpoint(resumed, doctor.user(), FrontDoor.WEBSOCKET, LIVE, "127.0.0.1",
                clock.instant())));

        int cleaned = join(new DeadNodeCleanup(endpoints, presence, consultations).cleanUp(DEAD));

        assertThat(cleaned).isEqualTo(1);
        assertThat(join(endpoints.find(patientTab))).isEmpty();
        assertThat(join(endpoints.find(resumed))).map(Endpoint::node).contains(LIVE);
        assertThat(join(presence.get(patient.user())).presence().status()).isEqualTo(PresenceStatus.OFFLINE);
        Consultation after = join(consultations.find(c.id())).orElseThrow();
        assertThat(after.attendee(patient.user()).orElseThrow().away()).isTrue();
        assertThat(after.isAdmitted(patient.user())).isTrue();
        assertThat(after.attendee(doctor.user()).orElseThrow().endpoints()).containsExactlyInAnyOrder(doctorTab, resumed);
        assertThat(join(new DeadNodeCleanup(endpoints, presence, consultations).cleanUp(DEAD))).isZero();
    }
}
