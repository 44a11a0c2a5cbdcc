package io.telesignal.core.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PresencePolicyTest {
    private final PresencePolicy policy = new PresencePolicy();
    private final UserId doc = new UserId("doc");
    private final UserId pat = new UserId("pat");
    private final UserId other = new UserId("other");
    private final Consultation c = Consultation.create(new ConsultationId("c1"), Map.of(doc, Role.PROVIDER, pat, Role.PATIENT),
            8, doc, Instant.EPOCH, Optional.empty());

    @Test
    void providersSeeTheirPatientsNotOthers() {
        Actor provider = new Actor(doc, "D", Set.of(Role.PROVIDER));
        assertThat(policy.mayWatch(provider, pat, Set.of(Role.PATIENT), List.of(c))).isTrue();
        assertThat(policy.mayWatch(provider, other, Set.of(Role.PATIENT), List.of(c))).isFalse();
        assertThat(policy.mayWatch(provider, pat, Set.of(Role.PATIENT), List.of(c.end(Instant.EPOCH)))).isFalse();
    }

    @Test
    void patientsSeeOnlyThemselves() {
        Actor patient = new Actor(pat, "P", Set.of(Role.PATIENT));
        assertThat(policy.mayWatch(patient, doc, Set.of(Role.PROVIDER), List.of(c))).isFalse();
        assertThat(policy.mayWatch(patient, pat, Set.of(Role.PATIENT), List.of())).isTrue();
    }

    @Test
    void staffSeeProvidersAndAdminsEveryone() {
        Actor staff = new Actor(new UserId("s"), "S", Set.of(Role.STAFF));
        assertThat(policy.mayWatch(staff, doc, Set.of(Role.PROVIDER), List.of())).isTrue();
        assertThat(policy.mayWatch(staff, pat, Set.of(Role.PATIENT), List.of())).isFalse();
        Actor admin = new Actor(new UserId("a"), "A", Set.of(Role.ADMIN));
        assertThat(policy.mayWatch(admin, pat, Set.of(Role.PATIENT), List.of())).isTrue();
    }
}
