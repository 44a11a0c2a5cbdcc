package io.telesignal.core.consultation;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.InMemoryEndpointRegistry;
import io.telesignal.core.routing.LocalEndpoints;
import io.telesignal.core.routing.Router;
import io.telesignal.core.routing.SingleNodeLink;
import io.telesignal.core.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restarted node: the consultations' rows say who attended from which endpoints, none of which exists any more.
 * The same store is used across the "restart" (a new service and a new router over it), as a database would be.
 */
class AttendanceTest {
    private static final NodeId NODE = new NodeId("n1");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(log, clock, 1000);
    private final InMemoryConsultationStore store = new InMemoryConsultationStore();
    private final Actor doctor = new Actor(new UserId("doctor"), "Dr D", Set.of(Role.PROVIDER));
    private final Actor patient = new Actor(new UserId("patient"), "Pat", Set.of(Role.PATIENT));
    private final Actor relative = new Actor(new UserId("relative"), "Rel", Set.of(Role.GUEST));

    @AfterEach
    void close() {
        audit.close();
    }

    private ConsultationService serviceOn(Router router) {
        return new ConsultationService(store, new ConsultationPolicy(), audit, router, clock, 8);
    }

    private static Router router() {
        return new Router(NODE, new InMemoryEndpointRegistry(), new LocalEndpoints(), new SingleNodeLink());
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static List<CoreEvent> connect(Router router, Actor actor, EndpointId endpoint, MutableClock clock) {
        List<CoreEvent> events = new CopyOnWriteArrayList<>();
        join(router.connect(new Endpoint(endpoint, actor.user(), FrontDoor.WEBSOCKET, NODE, "127.0.0.1",
                clock.instant()), io.telesignal.core.routing.EndpointSink.of(events::add)));
        return events;
    }

    @Test
    void afterARestartTheAdmittedComeStraightBackAndTheWaitingKeepTheirPlace() {
        ConsultationService before = serviceOn(router());
        Consultation c = join(before.create(doctor, Map.of(doctor.user(), Role.PROVIDER, patient.user(), Role.PATIENT,
                relative.user(), Role.GUEST), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE));
        join(before.join(doctor, c.id(), new EndpointId("ws-d1"), Optional.empty(), ConsultationService.Origin.NONE));
        join(before.join(patient, c.id(), new EndpointId("ws-p1"), Optional.empty(), ConsultationService.Origin.NONE));
        join(before.admit(doctor, c.id(), patient.user(), ConsultationService.Origin.NONE));
        join(before.join(relative, c.id(), new EndpointId("ws-r1"), Optional.empty(), ConsultationService.Origin.NONE));

        // the restart: a new router that holds nothing, the same store
        Router router = router();
        ConsultationService after = serviceOn(router);
        Attendance attendance = new Attendance(after, clock, Duration.ofMinutes(2));
        clock.advance(Duration.ofSeconds(5));
        assertThat(join(attendance.recoverAfterRestart())).isEqualTo(1);

        Consultation recovered = join(after.find(c.id())).orElseThrow();
        assertThat(recovered.endpoints()).isEmpty();
        assertThat(recovered.isAdmitted(patient.user())).isTrue();
        assertThat(recovered.waiting()).extracting(Attendee::user).containsExactly(relative.user());
        assertThat(recovered.attendees().values()).allMatch(Attendee::away);
        assertThat(log.read(0, 50)).filteredOn(r -> r.event().type().equals("consultation.away"))
                .extracting(r -> r.event().actor()).containsExactlyInAnyOrder("doctor", "patient", "relative");
        assertThat(join(attendance.recoverAfterRestart())).isZero();

        // the doctor and the patient come back from new connections: both admitted at once, the doctor told
        List<CoreEvent> doctorInbox = connect(router, doctor, new EndpointId("ws-d2"), clock);
        connect(router, patient, new EndpointId("ws-p2"), clock);
        join(after.join(doctor, c.id(), new EndpointId("ws-d2"), Optional.empty(), ConsultationService.Origin.NONE));
        Consultation back = join(after.join(patient, c.id(), new EndpointId("ws-p2"), Optional.empty(),
                ConsultationService.Origin.NONE));
        assertThat(back.isAdmitted(patient.user())).isTrue();
        assertThat(back.admittedEndpoint(new EndpointId("ws-p2"))).isPresent();
        assertThat(back.admittedEndpoint(new EndpointId("ws-p1"))).isEmpty();
        assertThat(doctorInbox).filteredOn(e -> e instanceof ParticipantsChanged).last()
                .satisfies(e -> assertThat(((ParticipantsChanged) e).admitted())
                        .extracting(a -> a.endpoints()).containsExactlyInAnyOrder(Set.of(new EndpointId("ws-d2")),
                                Set.of(new EndpointId("ws-p2"))));
    }

    @Test
    void theAwayWhoDoNotComeBackWithinTheGraceAreRemoved() {
        ConsultationService service = serviceOn(router());
        Consultation c = join(service.create(doctor, Map.of(doctor.user(), Role.PROVIDER, patient.user(), Role.PATIENT),
                Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE));
        join(service.join(doctor, c.id(), new EndpointId("ws-d1"), Optional.empty(), ConsultationService.Origin.NONE));
        join(service.join(patient, c.id(), new EndpointId("ws-p1"), Optional.empty(), ConsultationService.Origin.NONE));
        join(service.admit(doctor, c.id(), patient.user(), ConsultationService.Origin.NONE));
        join(service.endpointsLost(c.id(), Set.of(new EndpointId("ws-p1"))));
        Attendance attendance = new Attendance(service, clock, Duration.ofMinutes(2));

        clock.advance(Duration.ofSeconds(119));
        assertThat(join(attendance.sweep())).isZero();
        assertThat(join(service.find(c.id())).orElseThrow().isAdmitted(patient.user())).isTrue();

        clock.advance(Duration.ofSeconds(2));
        assertThat(join(attendance.sweep())).isEqualTo(1);
        Consultation after = join(service.find(c.id())).orElseThrow();
        assertThat(after.attendees()).containsOnlyKeys(doctor.user());
        assertThat(log.read(0, 50)).filteredOn(r -> r.event().type().equals("consultation.left"))
                .extracting(r -> r.event().actor() + ":" + r.event().reason()).containsExactly("patient:away_expired");
        // gone for good: joining again means the waiting room
        Consultation rejoined = join(service.join(patient, c.id(), new EndpointId("ws-p2"), Optional.empty(),
                ConsultationService.Origin.NONE));
        assertThat(rejoined.isAdmitted(patient.user())).isFalse();
    }
}
