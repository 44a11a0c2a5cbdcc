package io.telesignal.core.consultation;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization matrix: every role, in every relation to a consultation, against every action.
 * Each row lists exactly the actions allowed; everything else must be refused.
 */
class ConsultationPolicyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final UserId DOCTOR = new UserId("doctor");
    private static final UserId SUBJECT = new UserId("subject");
    private final ConsultationPolicy policy = new ConsultationPolicy();

    enum Relation {
        /** Not listed, not attending, no invite. */
        OUTSIDER,
        /** Not listed, holds an invite for the role. */
        INVITED,
        /** Listed with the role, has not joined. */
        LISTED,
        /** Listed, joined: providers and staff are admitted, everyone else waits. */
        JOINED,
        /** Listed, joined and admitted by the provider. */
        ADMITTED
    }

    static Stream<Arguments> matrix() {
        return Stream.of(
                row(Relation.OUTSIDER, Role.PATIENT),
                row(Relation.OUTSIDER, Role.PROVIDER, Action.CREATE),
                row(Relation.OUTSIDER, Role.STAFF, Action.CREATE, Action.VIEW, Action.INVITE, Action.END),
                row(Relation.OUTSIDER, Role.INTERPRETER),
                row(Relation.OUTSIDER, Role.GUEST),
                row(Relation.OUTSIDER, Role.DEVICE),
                row(Relation.OUTSIDER, Role.ADMIN, Action.CREATE, Action.VIEW, Action.INVITE, Action.END),

                row(Relation.INVITED, Role.GUEST, Action.JOIN),
                row(Relation.INVITED, Role.INTERPRETER, Action.JOIN),
                row(Relation.INVITED, Role.PATIENT, Action.JOIN),

                row(Relation.LISTED, Role.PATIENT, Action.VIEW, Action.JOIN),
                row(Relation.LISTED, Role.PROVIDER, Action.CREATE, Action.VIEW, Action.JOIN, Action.INVITE, Action.END),
                row(Relation.LISTED, Role.STAFF, Action.CREATE, Action.VIEW, Action.JOIN, Action.INVITE, Action.END),
                row(Relation.LISTED, Role.INTERPRETER, Action.VIEW, Action.JOIN),
                row(Relation.LISTED, Role.GUEST, Action.VIEW, Action.JOIN),
                row(Relation.LISTED, Role.DEVICE, Action.VIEW, Action.JOIN),
                row(Relation.LISTED, Role.ADMIN, Action.CREATE, Action.VIEW, Action.JOIN, Action.INVITE, Action.END),

                row(Relation.JOINED, Role.PATIENT, Action.VIEW, Action.JOIN, Action.LEAVE),
                row(Relation.JOINED, Role.PROVIDER, Action.values()),
                row(Relation.JOINED, Role.STAFF, Action.CREATE, Action.VIEW, Action.JOIN, Action.LEAVE, Action.INVITE,
                        Action.END, Action.SIGNAL, Action.CHAT),
                row(Relation.JOINED, Role.INTERPRETER, Action.VIEW, Action.JOIN, Action.LEAVE),
                row(Relation.JOINED, Role.GUEST, Action.VIEW, Action.JOIN, Action.LEAVE),
                row(Relation.JOINED, Role.DEVICE, Action.VIEW, Action.JOIN, Action.LEAVE),
                row(Relation.JOINED, Role.ADMIN, Action.CREATE, Action.VIEW, Action.JOIN, Action.LEAVE, Action.INVITE, Action.END),

                row(Relation.ADMITTED, Role.PATIENT, Action.VIEW, Action.JOIN, Action.LEAVE, Action.SIGNAL, Action.CHAT),
                row(Relation.ADMITTED, Role.INTERPRETER, Action.VIEW, Action.JOIN, Action.LEAVE, Action.SIGNAL,
                        Action.CHAT),
                row(Relation.ADMITTED, Role.GUEST, Action.VIEW, Action.JOIN, Action.LEAVE, Action.SIGNAL, Action.CHAT),
                row(Relation.ADMITTED, Role.DEVICE, Action.VIEW, Action.JOIN, Action.LEAVE, Action.SIGNAL, Action.CHAT),
                row(Relation.ADMITTED, Role.ADMIN, Action.CREATE, Action.VIEW, Action.JOIN, Action.LEAVE, Action.INVITE,
                        Action.END, Action.SIGNAL, Action.CHAT));
    }

    private static Arguments row(Relation relation, Role role, Action... allowed) {
        EnumSet<Action> set = EnumSet.noneOf(Action.class);
        set.addAll(java.util.List.of(allowed));
        return Arguments.of(relation, role, set);
    }

    @ParameterizedTest(name = "{0} {1} may {2}")
    @MethodSource("matrix")
    void allowsExactlyTheListedActions(Relation relation, Role role, Set<Action> allowed) {
        Actor actor = new Actor(SUBJECT, "Subject", Set.of(role));
        Actor doctor = new Actor(DOCTOR, "Doctor", Set.of(Role.PROVIDER));
        Map<UserId, Role> listed = relation == Relation.OUTSIDER || relation == Relation.INVITED
                ? Map.of(DOCTOR, Role.PROVIDER) : Map.of(DOCTOR, Role.PROVIDER, SUBJECT, role);
        Consultation c = Consultation.create(new ConsultationId("c1"), listed, 8, DOCTOR, NOW, Optional.empty())
                .join(doctor, Role.PROVIDER, new EndpointId("doctor-tab"), NOW);
        if (relation == Relation.JOINED || relation == Relation.ADMITTED) {
            c = c.join(actor, role, new EndpointId("subject-tab"), NOW);
        }
        if (relation == Relation.ADMITTED) {
            c = c.admit(SUBJECT, NOW);
        }
        Optional<Role> invite = relation == Relation.INVITED ? Optional.of(role) : Optional.empty();

        for (Action action : Action.values()) {
            assertThat(policy.allows(actor, action, c, invite))
                    .as("%s %s %s", relation, role, action)
                    .isEqualTo(allowed.contains(action));
        }
    }
}
