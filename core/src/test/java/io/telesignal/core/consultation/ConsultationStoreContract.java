package io.telesignal.core.consultation;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link ConsultationStore} must do. */
public abstract class ConsultationStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final UserId DOC = new UserId("doc");
    private static final UserId PAT = new UserId("pat");

    protected abstract ConsultationStore store();

    private static Consultation consultation(String id, Instant at) {
        return Consultation.create(new ConsultationId(id), Map.of(DOC, Role.PROVIDER, PAT, Role.PATIENT), 6, DOC, at,
                Optional.of(at.plusSeconds(3600)));
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void createdConsultationReadsBackWhole() {
        Consultation c = consultation("c1", T0);
        join(store().create(c));
        assertThat(join(store().find(c.id()))).contains(c);
        assertThat(join(store().find(new ConsultationId("nope")))).isEmpty();
    }

    @Test
    void replaceIsCompareAndSetOnTheVersion() {
        Consultation c = consultation("c1", T0);
        join(store().create(c));
        Consultation joined = c.join(new Actor(DOC, "Doc", Set.of(Role.PROVIDER)), Role.PROVIDER, new EndpointId("e1"), T0);

        assertThat(join(store().replace(c.version(), joined))).isTrue();
        assertThat(join(store().find(c.id()))).contains(joined);
        Consultation stale = c.join(new Actor(PAT, "Pat", Set.of(Role.PATIENT)), Role.PATIENT, new EndpointId("e2"), T0);
        assertThat(join(store().replace(c.version(), stale))).isFalse();
        assertThat(join(store().find(c.id()))).contains(joined);

        Consultation listed = joined.list(new UserId("guest"), Role.GUEST).end(T0.plusSeconds(60));
        assertThat(join(store().replace(joined.version(), listed))).isTrue();
        assertThat(join(store().find(c.id()))).contains(listed);
    }

    @Test
    void whoCameByInviteReadsBack() {
        Consultation c = consultation("c1", T0);
        join(store().create(c));
        UserId ana = new UserId("ana");
        Consultation invited = c.list(ana, Role.INTERPRETER)
                .join(new Actor(ana, "Ana", Set.of(Role.INTERPRETER)), Role.INTERPRETER, new EndpointId("e1"), T0);
        assertThat(join(store().replace(c.version(), invited))).isTrue();

        Consultation read = join(store().find(c.id())).orElseThrow();
        assertThat(read).isEqualTo(invited);
        assertThat(read.invited()).containsExactly(ana);
        assertThat(read.attendee(ana).orElseThrow().invited()).isTrue();
    }

    @Test
    void listIsNewestFirstAndInvolvingFindsOpenOnesOfAUser() {
        join(store().create(consultation("c1", T0)));
        join(store().create(consultation("c2", T0.plusSeconds(10))));
        Consultation other = Consultation.create(new ConsultationId("c3"), Map.of(new UserId("x"), Role.PATIENT), 6, DOC,
                T0.plusSeconds(20), Optional.empty());
        join(store().create(other));

        assertThat(join(store().list(0, 10))).extracting(c -> c.id().value()).containsExactly("c3", "c2", "c1");
        assertThat(join(store().list(1, 1))).extracting(c -> c.id().value()).containsExactly("c2");
        assertThat(join(store().involving(PAT))).extracting(c -> c.id().value()).containsExactlyInAnyOrder("c1", "c2");

        Consultation c1 = join(store().find(new ConsultationId("c1"))).orElseThrow();
        join(store().replace(c1.version(), c1.end(T0.plusSeconds(30))));
        assertThat(join(store().involving(PAT))).extracting(c -> c.id().value()).containsExactly("c2");
    }

    @Test
    void attendanceReadsBackWholeWithAwayAttendeesAndAttendedFindsIt() {
        Consultation c = consultation("c1", T0);
        join(store().create(c));
        join(store().create(consultation("c2", T0)));
        Actor doc = new Actor(DOC, "Dr Ünïcode", Set.of(Role.PROVIDER));
        Actor pat = new Actor(PAT, "Pat", Set.of(Role.PATIENT));
        Consultation attended = c.join(doc, Role.PROVIDER, new EndpointId("e1"), T0)
                .join(pat, Role.PATIENT, new EndpointId("e2"), T0.plusSeconds(1))
                .join(pat, Role.PATIENT, new EndpointId("e3"), T0.plusSeconds(1))
                .admit(PAT, T0.plusSeconds(2))
                .lose(Set.of(new EndpointId("e2"), new EndpointId("e3")), T0.plusSeconds(3));
        assertThat(join(store().replace(c.version(), attended))).isTrue();

        assertThat(join(store().find(c.id()))).contains(attended);
        assertThat(join(store().attended())).containsExactly(attended);
        assertThat(join(store().involving(PAT))).extracting(x -> x.id().value()).containsExactlyInAnyOrder("c1", "c2");

        Consultation ended = attended.end(T0.plusSeconds(60));
        assertThat(join(store().replace(attended.version(), ended))).isTrue();
        assertThat(join(store().attended())).isEmpty();
    }
}
