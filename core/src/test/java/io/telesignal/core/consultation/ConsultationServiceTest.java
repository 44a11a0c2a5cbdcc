package io.telesignal.core.consultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.audit.AuditRecord;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.audit.Outcome;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsultationServiceTest {
    private static final NodeId NODE = new NodeId("n1");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(log, clock, 1000);
    private final Router router = new Router(NODE, new InMemoryEndpointRegistry(), new LocalEndpoints(), new SingleNodeLink());
    private final ConsultationService service = new ConsultationService(new InMemoryConsultationStore(),
            new ConsultationPolicy(), audit, router, clock, 8);
    private final Map<EndpointId, List<CoreEvent>> inbox = new ConcurrentHashMap<>();

    private final Actor doctor = new Actor(new UserId("doctor"), "Dr D", Set.of(Role.PROVIDER));
    private final Actor patient = new Actor(new UserId("patient"), "Pat", Set.of(Role.PATIENT));
    private final Actor stranger = new Actor(new UserId("stranger"), "S", Set.of(Role.PATIENT));

    @AfterEach
    void close() {
        audit.close();
    }

    private EndpointId connect(Actor actor, String id) {
        EndpointId endpoint = new EndpointId(id);
        List<CoreEvent> events = new CopyOnWriteArrayList<>();
        inbox.put(endpoint, events);
        router.connect(new Endpoint(endpoint, actor.user(), FrontDoor.WEBSOCKET, NODE, "127.0.0.1", clock.instant()),
                io.telesignal.core.routing.EndpointSink.of(events::add)).toCompletableFuture().join();
        return endpoint;
    }

    private Consultation create() {
        return join(service.create(doctor, Map.of(doctor.user(), Role.PROVIDER, patient.user(), Role.PATIENT),
                Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE));
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void waitingRoomAdmitAndParticipantUpdates() {
        Consultation c = create();
        EndpointId doctorTab = connect(doctor, "ws-doctor");
        EndpointId patientTab = connect(patient, "ws-patient");

        join(service.join(doctor, c.id(), doctorTab, Optional.empty(), ConsultationService.Origin.NONE));
        Consultation waiting = join(service.join(patient, c.id(), patientTab, Optional.empty(),
                new ConsultationService.Origin("ws-patient", "10.0.0.7")));
        assertThat(waiting.waiting()).extracting(Attendee::user).containsExactly(patient.user());
        assertThat(inbox.get(patientTab)).containsExactly(new AdmissionChanged(c.id(), AdmissionChanged.Status.WAITING));
        assertThat(inbox.get(doctorTab)).last().isEqualTo(new WaitingRoomChanged(c.id(), waiting.waiting(), waiting.version()));

        Consultation admitted = join(service.admit(doctor, c.id(), patient.user(), ConsultationService.Origin.NONE));
        assertThat(admitted.state()).isEqualTo(ConsultationState.IN_PROGRESS);
        assertThat(inbox.get(patientTab)).contains(new AdmissionChanged(c.id(), AdmissionChanged.Status.ADMITTED))
                .last().isInstanceOfSatisfying(ParticipantsChanged.class,
                        p -> assertThat(p.admitted()).extracting(Attendee::user).containsExactly(doctor.user(), patient.user()));
        assertThat(inbox.get(doctorTab)).last().isEqualTo(new WaitingRoomChanged(c.id(), List.of(), admitted.version()));

        List<AuditRecord> records = log.read(0, 20);
        assertThat(records).extracting(r -> r.event().type()).containsExactly("consultation.created",
                "consultation.joined", "consultation.joined", "consultation.admitted");
        AuditRecord patientJoin = records.get(2);
        assertThat(patientJoin.event().endpoint()).isEqualTo("ws-patient");
        assertThat(patientJoin.event().remoteAddress()).isEqualTo("10.0.0.7");
        assertThat(records.get(3).event().subject()).isEqualTo("patient");
    }

    @Test
    void denyTellsThePatientAndEmptiesTheWaitingRoom() {
        Consultation c = create();
        EndpointId doctorTab = connect(doctor, "ws-doctor");
        EndpointId patientTab = connect(patient, "ws-patient");
        join(service.join(doctor, c.id(), doctorTab, Optional.empty(), ConsultationService.Origin.NONE));
        join(service.join(patient, c.id(), patientTab, Optional.empty(), ConsultationService.Origin.NONE));

        Consultation after = join(service.deny(doctor, c.id(), patient.user(), ConsultationService.Origin.NONE));

        assertThat(after.attendee(patient.user())).isEmpty();
        assertThat(inbox.get(patientTab)).last().isEqualTo(new AdmissionChanged(c.id(), AdmissionChanged.Status.DENIED));
        assertThat(inbox.get(doctorTab)).last().isEqualTo(new WaitingRoomChanged(c.id(), List.of(), after.version()));
    }

    @Test
    void refusalsAreAuditedAsDenied() {
        Consultation c = create();
        EndpointId tab = connect(stranger, "ws-stranger");

        assertRefused(service.join(stranger, c.id(), tab, Optional.empty(), ConsultationService.Origin.NONE),
                "not_authorized");
        assertRefused(service.admit(patient, c.id(), stranger.user(), ConsultationService.Origin.NONE), "not_authorized");
        assertRefused(service.create(patient, Map.of(), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE),
                "not_authorized");
        assertRefused(service.join(doctor, new ConsultationId("nope"), tab, Optional.empty(),
                ConsultationService.Origin.NONE), "consultation_not_found");

        assertThat(log.read(1, 20)).extracting(r -> r.event().type() + ":" + r.event().outcome() + ":" + r.event().reason())
                .containsExactly("consultation.joined:DENIED:not_authorized", "consultation.admitted:DENIED:not_authorized",
                        "consultation.created:DENIED:not_authorized", "consultation.joined:FAILED:consultation_not_found");
    }

    @Test
    void inviteLetsAnUnlistedGuestWait() {
        Consultation c = create();
        Actor guest = new Actor(new UserId("guest-1"), "Family", Set.of(Role.GUEST));
        Consultation after = join(service.join(guest, c.id(), connect(guest, "ws-guest"), Optional.of(Role.GUEST),
                ConsultationService.Origin.NONE));
        assertThat(after.attendee(guest.user()).orElseThrow().role()).isEqualTo(Role.GUEST);
        assertThat(after.isAdmitted(guest.user())).isFalse();
    }

    @Test
    void endedConsultationRefusesJoinsAndTellsEveryone() {
        Consultation c = create();
        EndpointId doctorTab = connect(doctor, "ws-doctor");
        EndpointId patientTab = connect(patient, "ws-patient");
        join(service.join(doctor, c.id(), doctorTab, Optional.empty(), ConsultationService.Origin.NONE));
        join(service.join(patient, c.id(), patientTab, Optional.empty(), ConsultationService.Origin.NONE));

        join(service.end(doctor, c.id(), ConsultationService.Origin.NONE));

        assertThat(inbox.get(patientTab)).last().isEqualTo(new AdmissionChanged(c.id(), AdmissionChanged.Status.ENDED));
        assertThat(inbox.get(doctorTab)).last().isEqualTo(new AdmissionChanged(c.id(), AdmissionChanged.Status.ENDED));
        assertRefused(service.join(patient, c.id(), patientTab, Optional.empty(), ConsultationService.Origin.NONE),
                "consultation_ended");
        assertRefused(service.authorize(patient, c.id(), Action.SIGNAL, ConsultationService.Origin.NONE),
                "consultation_ended");
    }

    @Test
    void concurrentJoinsFromManyThreadsAreAllKept() throws Exception {
        Consultation c = join(service.create(doctor, Map.of(), Optional.empty(), Optional.of(100),
                ConsultationService.Origin.NONE));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Consultation>> joins = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Actor guest = new Actor(new UserId("g" + i), "G", Set.of(Role.GUEST));
                EndpointId endpoint = new EndpointId("ws-g" + i);
                joins.add(CompletableFuture.supplyAsync(() -> service.join(guest, c.id(), endpoint,
                        Optional.of(Role.GUEST), ConsultationService.Origin.NONE), pool)
                        .thenCompose(stage -> stage));
            }
            int conflicts = 0;
            for (CompletableFuture<Consultation> f : joins) {
                try {
                    f.join();
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOfSatisfying(ConsultationException.class,
                            ce -> assertThat(ce.code()).isEqualTo("conflict"));
                    conflicts++;
                }
            }
            Consultation after = join(service.get(doctor, c.id()));
            assertThat(after.waiting()).hasSize(40 - conflicts);
        } finally {
            pool.shutdown();
        }
    }

    private static void assertRefused(java.util.concurrent.CompletionStage<?> stage, String code) {
        assertThatThrownBy(() -> stage.toCompletableFuture().join())
                .hasCauseInstanceOf(ConsultationException.class)
                .satisfies(e -> assertThat(((ConsultationException) e.getCause()).code()).isEqualTo(code));
    }
}
