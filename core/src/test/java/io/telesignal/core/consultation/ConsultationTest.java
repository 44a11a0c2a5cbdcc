package io.telesignal.core.consultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsultationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final Actor doctor = new Actor(new UserId("doctor"), "Dr D", Set.of(Role.PROVIDER));
    private final Actor patient = new Actor(new UserId("patient"), "Pat", Set.of(Role.PATIENT));
    private final Consultation fresh = Consultation.create(new ConsultationId("c1"),
            Map.of(doctor.user(), Role.PROVIDER, patient.user(), Role.PATIENT), 3, doctor.user(), NOW, Optional.empty());

    @Test
    void lifecycleGoesFromOpenToInProgressToEnded() {
        assertThat(fresh.state()).isEqualTo(ConsultationState.OPEN);
        Consultation waiting = fresh.join(doctor, Role.PROVIDER, ep("d1"), NOW).join(patient, Role.PATIENT, ep("p1"), NOW);
        assertThat(waiting.state()).isEqualTo(ConsultationState.OPEN);
        assertThat(waiting.waiting()).extracting(Attendee::user).containsExactly(patient.user());

        Consultation inProgress = waiting.admit(patient.user(), NOW.plusSeconds(5));
        assertThat(inProgress.state()).isEqualTo(ConsultationState.IN_PROGRESS);
        assertThat(inProgress.attendee(patient.user()).orElseThrow().since()).isEqualTo(NOW.plusSeconds(5));
        assertThat(inProgress.version()).isEqualTo(3);

        Consultation ended = inProgress.end(NOW.plusSeconds(60));
        assertThat(ended.state()).isEqualTo(ConsultationState.ENDED);
        assertThat(ended.attendees()).isEmpty();
        assertThat(ended.endedAt()).contains(NOW.plusSeconds(60));
        assertThatThrownBy(() -> ended.join(patient, Role.PATIENT, ep("p1"), NOW))
                .isInstanceOfSatisfying(ConsultationException.class,
                        e -> assertThat(e.code()).isEqualTo("consultation_ended"));
    }

    @Test
    void whoCameByInviteLinkIsToldApartFromWhoWasExpected() {
        Actor interpreter = new Actor(new UserId("ana"), "Ana", Set.of(Role.INTERPRETER));
        Consultation c = fresh.list(interpreter.user(), Role.INTERPRETER)
                .list(patient.user(), Role.GUEST) // listed already: keeps their role, still expected
                .join(interpreter, Role.INTERPRETER, ep("i1"), NOW).join(patient, Role.PATIENT, ep("p1"), NOW);
        assertThat(c.invited()).containsExactly(interpreter.user());
        assertThat(c.attendee(interpreter.user()).orElseThrow().invited()).isTrue();
        assertThat(c.attendee(patient.user()).orElseThrow().invited()).isFalse();
        assertThat(c.listedRole(patient.user())).contains(Role.PATIENT);

        // still so once admitted and away, and forgotten with the listing when removed
        Consultation admitted = c.admit(interpreter.user(), NOW).lose(Set.of(ep("i1")), NOW);
        assertThat(admitted.attendee(interpreter.user()).orElseThrow().invited()).isTrue();
        Consultation removed = admitted.join(interpreter, Role.INTERPRETER, ep("i2"), NOW)
                .remove(interpreter.user(), NOW);
        assertThat(removed.invited()).isEmpty();
        assertThatThrownBy(() -> new Consultation(c.id(), c.state(), Map.of(), Set.of(interpreter.user()), Map.of(), 3,
                doctor.user(), NOW, Optional.empty(), Optional.empty(), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scheduledConsultationOpensOnFirstJoin() {
        Consultation scheduled = Consultation.create(new ConsultationId("c2"), Map.of(doctor.user(), Role.PROVIDER), 8,
                doctor.user(), NOW, Optional.of(NOW.plusSeconds(3600)));
        assertThat(scheduled.state()).isEqualTo(ConsultationState.SCHEDULED);
        assertThat(scheduled.join(doctor, Role.PROVIDER, ep("d1"), NOW).state()).isEqualTo(ConsultationState.OPEN);
    }

    @Test
    void secondEndpointKeepsAdmissionAndLastEndpointLeaving() {
        Consultation c = fresh.join(patient, Role.PATIENT, ep("p1"), NOW).admit(patient.user(), NOW)
                .join(patient, Role.PATIENT, ep("p2"), NOW);
        assertThat(c.attendee(patient.user()).orElseThrow().endpoints()).containsExactlyInAnyOrder(ep("p1"), ep("p2"));
        assertThat(c.isAdmitted(patient.user())).isTrue();

        Consultation oneLeft = c.leave(patient.user(), ep("p1"), NOW);
        assertThat(oneLeft.isAdmitted(patient.user())).isTrue();
        assertThat(oneLeft.leave(patient.user(), ep("p2"), NOW).attendee(patient.user())).isEmpty();
        assertThatThrownBy(() -> oneLeft.leave(patient.user(), ep("p1"), NOW))
                .isInstanceOfSatisfying(ConsultationException.class, e -> assertThat(e.code()).isEqualTo("not_participant"));
    }

    @Test
    void onlyWaitingAttendeesCanBeAdmittedOrDenied() {
        Consultation c = fresh.join(doctor, Role.PROVIDER, ep("d1"), NOW);
        assertThatThrownBy(() -> c.admit(patient.user(), NOW)).hasMessageContaining("not waiting");
        assertThatThrownBy(() -> c.deny(doctor.user(), NOW))
                .isInstanceOfSatisfying(ConsultationException.class, e -> assertThat(e.code()).isEqualTo("not_waiting"));

        Consultation denied = c.join(patient, Role.PATIENT, ep("p1"), NOW).deny(patient.user(), NOW);
        assertThat(denied.attendee(patient.user())).isEmpty();
        assertThat(denied.join(patient, Role.PATIENT, ep("p1"), NOW).waiting()).hasSize(1);
    }

    @Test
    void removeTakesAnAdmittedAttendeeOffTheListAndRefusesSomeoneWaiting() {
        Consultation waiting = fresh.join(patient, Role.PATIENT, ep("p1"), NOW);
        assertThatThrownBy(() -> waiting.remove(patient.user(), NOW))
                .isInstanceOfSatisfying(ConsultationException.class, e -> assertThat(e.code()).isEqualTo("not_participant"));

        Consultation removed = waiting.admit(patient.user(), NOW).remove(patient.user(), NOW);
        assertThat(removed.attendee(patient.user())).isEmpty();
        assertThat(removed.listedRole(patient.user())).isEmpty();
    }

    @Test
    void participantLimitCountsEveryoneWhoJoined() {
        Map<UserId, Role> listed = new HashMap<>(fresh.listed());
        Consultation c = fresh.join(doctor, Role.PROVIDER, ep("d1"), NOW).join(patient, Role.PATIENT, ep("p1"), NOW)
                .join(new Actor(new UserId("i"), "I", Set.of(Role.INTERPRETER)), Role.INTERPRETER, ep("i1"), NOW);
        assertThat(listed).hasSize(2);
        assertThatThrownBy(() -> c.join(new Actor(new UserId("g"), "G", Set.of(Role.GUEST)), Role.GUEST, ep("g1"), NOW))
                .isInstanceOfSatisfying(ConsultationException.class,
                        e -> assertThat(e.code()).isEqualTo("consultation_full"));
        // a participant already in may still add an endpoint
        assertThat(c.join(patient, Role.PATIENT, ep("p2"), NOW).attendees()).hasSize(3);
    }

    private static EndpointId ep(String id) {
        return new EndpointId(id);
    }

    @Test
    void lostEndpointsLeaveTheirAttendeeAwayInTheirPlaceUntilTheyComeBack() {
        Consultation c = fresh.join(doctor, Role.PROVIDER, ep("d1"), NOW).join(patient, Role.PATIENT, ep("p1"), NOW)
                .admit(patient.user(), NOW).join(patient, Role.PATIENT, ep("p2"), NOW);

        Consultation oneLost = c.lose(Set.of(ep("p1")), NOW.plusSeconds(1));
        assertThat(oneLost.attendee(patient.user()).orElseThrow().away()).isFalse();
        assertThat(oneLost.attendee(patient.user()).orElseThrow().endpoints()).containsExactly(ep("p2"));

        Consultation allLost = c.lose(Set.of(ep("p1"), ep("p2"), ep("d1")), NOW.plusSeconds(2));
        Attendee away = allLost.attendee(patient.user()).orElseThrow();
        assertThat(away.awaySince()).contains(NOW.plusSeconds(2));
        assertThat(away.endpoints()).isEmpty();
        assertThat(allLost.isAdmitted(patient.user())).isTrue();
        assertThat(allLost.state()).isEqualTo(ConsultationState.IN_PROGRESS);
        assertThat(allLost.endpoints()).isEmpty();
        assertThat(allLost.lose(Set.of(ep("p1")), NOW.plusSeconds(3))).isSameAs(allLost);

        // coming back from a fresh endpoint: straight back in, admitted, not away
        Consultation back = allLost.join(patient, Role.PATIENT, ep("p3"), NOW.plusSeconds(10));
        Attendee returned = back.attendee(patient.user()).orElseThrow();
        assertThat(returned.admitted()).isTrue();
        assertThat(returned.away()).isFalse();
        assertThat(returned.endpoints()).containsExactly(ep("p3"));
        assertThat(returned.since()).isEqualTo(NOW);
    }

    @Test
    void someoneWaitingWhoWasLostKeepsTheirPlaceInTheWaitingRoom() {
        Consultation waiting = fresh.join(patient, Role.PATIENT, ep("p1"), NOW);
        Consultation lost = waiting.lose(Set.of(ep("p1")), NOW.plusSeconds(1));
        assertThat(lost.waiting()).extracting(Attendee::user).containsExactly(patient.user());
        assertThat(lost.join(patient, Role.PATIENT, ep("p2"), NOW.plusSeconds(2)).waiting())
                .extracting(Attendee::endpoints).containsExactly(Set.of(ep("p2")));
    }

    @Test
    void dropAwayRemovesOnlyThoseAwaySinceBeforeTheCutoff() {
        Consultation c = fresh.join(doctor, Role.PROVIDER, ep("d1"), NOW).join(patient, Role.PATIENT, ep("p1"), NOW)
                .admit(patient.user(), NOW)
                .lose(Set.of(ep("p1")), NOW.plusSeconds(10))
                .lose(Set.of(ep("d1")), NOW.plusSeconds(20));

        assertThat(c.awayBefore(NOW.plusSeconds(10))).isEmpty();
        assertThat(c.dropAway(NOW.plusSeconds(10), NOW.plusSeconds(30))).isSameAs(c);

        Consultation dropped = c.dropAway(NOW.plusSeconds(15), NOW.plusSeconds(30));
        assertThat(dropped.attendees()).containsOnlyKeys(doctor.user());
        assertThat(dropped.state()).isEqualTo(ConsultationState.OPEN);
        assertThat(dropped.version()).isEqualTo(c.version() + 1);
    }

    @Test
    void anAttendeeIsAwayExactlyWhenTheyHaveNoEndpoint() {
        assertThatThrownBy(() -> new Attendee(patient.user(), "Pat", Role.PATIENT, Attendee.Status.WAITING, NOW,
                Set.of(), Optional.empty(), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attendee(patient.user(), "Pat", Role.PATIENT, Attendee.Status.WAITING, NOW,
                Set.of(ep("p1")), Optional.of(NOW), false)).isInstanceOf(IllegalArgumentException.class);
    }
}
