package io.telesignal.core.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.auth.SigningKey;
import io.telesignal.core.auth.TokenRejectedException;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.auth.TokenSettings;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationException;
import io.telesignal.core.consultation.ConsultationPolicy;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.consultation.InMemoryConsultationStore;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.InMemoryEndpointRegistry;
import io.telesignal.core.routing.LocalEndpoints;
import io.telesignal.core.routing.Router;
import io.telesignal.core.routing.SingleNodeLink;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.core.work.WorkerPool;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InviteServiceTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(log, clock, 100);
    private final WorkerPool workers = new WorkerPool("test", 2, 10);
    private final TokenService tokens;
    private final ConsultationService consultations = new ConsultationService(new InMemoryConsultationStore(),
            new ConsultationPolicy(), audit, new Router(new NodeId("n"), new InMemoryEndpointRegistry(),
                    new LocalEndpoints(), new SingleNodeLink()), clock, 8);
    private final InviteService invites;
    private final Actor doctor = new Actor(new UserId("doc"), "Dr D", Set.of(Role.PROVIDER));
    private final Actor guest = new Actor(new UserId("guest-1"), "Aunt May", Set.of(Role.GUEST));

    InviteServiceTest() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        tokens = new TokenService(new SigningKey.Hs256(secret), new TokenSettings("telesignal", "telesignal",
                Duration.ofMinutes(15), Duration.ofDays(1), Duration.ofSeconds(30), Optional.empty()), clock);
        invites = new InviteService(tokens, consultations, new InMemoryInviteRedemptions(), audit, workers, clock,
                Duration.ofHours(24));
    }

    @AfterEach
    void close() {
        workers.close();
        audit.close();
    }

    private Consultation consultation() {
        return consultations.create(doctor, Map.of(), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
    }

    @Test
    void redeemingListsTheGuestOnceAndOnlyOnce() {
        Consultation c = consultation();
        InviteService.Created created = invites.create(doctor, c.id(), Role.GUEST, Optional.empty(),
                ConsultationService.Origin.NONE).toCompletableFuture().join();
        assertThat(created.invite().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));

        Consultation after = invites.redeem(created.token(), guest, ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
        assertThat(after.listedRole(guest.user())).contains(Role.GUEST);

        assertThatThrownBy(() -> invites.redeem(created.token(), guest, ConsultationService.Origin.NONE)
                .toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(InviteException.class)
                .satisfies(e -> assertThat(((InviteException) e.getCause()).code()).isEqualTo("invite_used"));
        assertThat(log.read(0, 100)).extracting(r -> r.event().type() + ":" + r.event().outcome())
                .contains("invite.created:OK", "invite.redeemed:OK", "invite.redeemed:DENIED");
    }

    @Test
    void onlyProvidersInviteAndNeverAsProvider() {
        Consultation c = consultation();
        Actor patient = new Actor(new UserId("pat"), "P", Set.of(Role.PATIENT));
        assertThatThrownBy(() -> invites.create(patient, c.id(), Role.GUEST, Optional.empty(),
                ConsultationService.Origin.NONE).toCompletableFuture().join())
                .hasCauseInstanceOf(ConsultationException.class);
        assertThatThrownBy(() -> invites.create(doctor, c.id(), Role.PROVIDER, Optional.empty(),
                ConsultationService.Origin.NONE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invitesAndAccessTokensCannotStandInForEachOther() {
        Consultation c = consultation();
        String invite = invites.create(doctor, c.id(), Role.INTERPRETER, Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join().token();
        assertThatThrownBy(() -> tokens.verify(invite)).isInstanceOfSatisfying(TokenRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(TokenRejectedException.Reason.WRONG_AUDIENCE));

        String access = tokens.issue(doctor.user(), doctor.roles(), Optional.empty()).jwt();
        assertThatThrownBy(() -> invites.verify(access)).isInstanceOfSatisfying(InviteException.class,
                e -> assertThat(e.code()).isEqualTo("invite_invalid"));
        assertThatThrownBy(() -> invites.verify(invite.substring(0, invite.length() - 2) + "xx"))
                .isInstanceOf(InviteException.class);
    }

    @Test
    void expiredInvitesAreInvalid() {
        Consultation c = consultation();
        String invite = invites.create(doctor, c.id(), Role.GUEST, Optional.of(Duration.ofMinutes(5)),
                ConsultationService.Origin.NONE).toCompletableFuture().join().token();
        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> invites.verify(invite)).isInstanceOfSatisfying(InviteException.class,
                e -> assertThat(e.code()).isEqualTo("invite_invalid"));
    }
}
