package io.telesignal.core.invite;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.consultation.Action;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Role;
import io.telesignal.core.work.WorkerPool;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Creates and redeems invites. An invite is a JWT signed with the server's token key but for another audience
 * ({@code <audience>:invite}), so it can never pass as an access token; redeeming it records its id as used
 * (single use, even across nodes) and lists the redeemer in the consultation with the invite's role.
 */
public final class InviteService {
    /** Roles an invite may grant: people joining from outside, never providers, staff or admins. */
    public static final Set<Role> INVITABLE = EnumSet.of(Role.GUEST, Role.INTERPRETER, Role.PATIENT, Role.DEVICE);

    private final TokenService tokens;
    private final ConsultationService consultations;
    private final InviteRedemptions redemptions;
    private final AuditTrail audit;
    private final WorkerPool workers;
    private final Clock clock;
    private final Duration defaultTtl;

    public InviteService(TokenService tokens, ConsultationService consultations, InviteRedemptions redemptions,
            AuditTrail audit, WorkerPool workers, Clock clock, Duration defaultTtl) {
        this.tokens = tokens;
        this.consultations = consultations;
        this.redemptions = redemptions;
        this.audit = audit;
        this.workers = workers;
        this.clock = clock;
        this.defaultTtl = defaultTtl;
    }

    /** A signed invite, and what it grants. */
    public record Created(String token, Invite invite) {
        @Override
        public String toString() {
            return "Created[id=" + invite.id() + "]";
        }
    }

    public CompletionStage<Created> create(Actor actor, ConsultationId id, Role role, java.util.Optional<Duration> ttl,
            ConsultationService.Origin origin) {
        if (!INVITABLE.contains(role)) {
            throw new IllegalArgumentException("an invite grants guest, interpreter, patient or device, not " + role.wireName());
        }
        Duration lifetime = ttl.orElse(defaultTtl);
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("an invite lives between 1 second and 30 days");
        }
        return consultations.authorize(actor, id, Action.INVITE, origin).thenCompose(c -> {
            TokenService.SignedInvite signed = tokens.issueInvite(id.value(), role.wireName(), lifetime);
            Invite invite = new Invite(signed.id(), id, role, signed.expiresAt());
            return audit.record(AuditEvent.of("invite.created", actor.user().value(), Outcome.OK)
                    .consultation(id.value()).subject("invite:" + invite.id()).endpoint(origin.endpoint())
                    .remoteAddress(origin.remoteAddress()))
                    .thenApply(r -> new Created(signed.token(), invite));
        });
    }

    /** Checks an invite's signature and lifetime without using it. */
    public Invite verify(String token) {
        TokenService.InviteClaims claims = tokens.verifyInvite(token).orElseThrow(InviteException::invalid);
        try {
            Role role = Role.fromWireName(claims.role());
            if (!INVITABLE.contains(role)) {
                throw InviteException.invalid();
            }
            return new Invite(claims.id(), new ConsultationId(claims.consultation()), role, claims.expiresAt());
        } catch (IllegalArgumentException e) {
            throw InviteException.invalid();
        }
    }

    /**
     * What an invite would grant, checked without using it, so that a page can tell its holder at once: answers the
     * invite, or fails as using it would ({@code invite_invalid}: forged, expired, or for no such consultation;
     * {@code consultation_ended}; {@code invite_used}).
     */
    public CompletionStage<Invite> inspect(String token) {
        Invite invite = verify(token);
        return usable(invite).thenCompose(ok -> workers.submit(() -> redemptions.redeemed(invite.id())))
                .thenApply(used -> {
                    if (used) {
                        throw InviteException.used();
                    }
                    return invite;
                });
    }

    /** The invite's consultation exists and has not ended. */
    private CompletionStage<Void> usable(Invite invite) {
        return consultations.find(invite.consultation()).thenApply(c -> {
            if (c.isEmpty()) {
                throw InviteException.invalid();
            }
            if (c.get().ended()) {
                throw new io.telesignal.core.consultation.ConsultationException(
                        io.telesignal.core.consultation.ConsultationException.Reason.CONSULTATION_ENDED,
                        "the consultation has ended");
            }
            return null;
        });
    }

    /**
     * Uses the invite for {@code redeemer}: marks it used (a second use fails with {@code invite_used}) and lists
     * the redeemer in the consultation with the invite's role.
     */
    public CompletionStage<Consultation> redeem(String token, Actor redeemer, ConsultationService.Origin origin) {
        return claim(token, redeemer.user().value(), origin)
                .thenCompose(invite -> admitToList(invite, redeemer.user()));
    }

    /**
     * Marks the invite used on behalf of {@code actor} (an id for the audit trail) and answers what it grants;
     * for a redeemer who does not exist yet (a guest), create them next and {@link #admitToList} them.
     */
    public CompletionStage<Invite> claim(String token, String actor, ConsultationService.Origin origin) {
        Invite invite = verify(token);
        // an invite to an ended or unknown consultation is refused before it is used up
        return usable(invite).thenCompose(ok -> {
            return workers.submit(() -> redemptions.redeem(invite.id(), clock.instant(), invite.expiresAt()))
                .thenCompose(fresh -> audit.record(AuditEvent.of("invite.redeemed", actor,
                        fresh ? Outcome.OK : Outcome.DENIED).consultation(invite.consultation().value())
                        .subject("invite:" + invite.id()).reason(fresh ? null : "invite_used")
                        .remoteAddress(origin.remoteAddress()))
                        .thenApply(r -> {
                            if (!fresh) {
                                throw InviteException.used();
                            }
                            return invite;
                        }));
        });
    }

    /** Lists a user in the invite's consultation with its role (after {@link #claim}). */
    public CompletionStage<Consultation> admitToList(Invite invite, io.telesignal.core.identity.UserId user) {
        return consultations.listParticipant(invite.consultation(), user, invite.role());
    }

    /**
     * Forgets redemptions of long-expired invites. The margin exceeds any clock skew verification tolerates, so
     * an invite can never verify again after its redemption was forgotten.
     */
    public int purgeExpired() {
        return redemptions.purgeExpired(clock.instant().minus(Duration.ofHours(1)));
    }
}
