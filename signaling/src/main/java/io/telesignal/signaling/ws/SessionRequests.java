package io.telesignal.signaling.ws;

import io.telesignal.core.consultation.Action;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.signaling.protocol.ClientMessage;
import io.telesignal.signaling.session.SignalingSession;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The requests a session makes of the services other than call signaling ({@link SignalRelay}): joining and leaving
 * consultations and running them (admit, deny, remove, end), chat and its history, invites, presence and watches.
 * Each answers what the {@code result} carries, or fails with what the {@code error} says. Stateless: one per front
 * door, shared by its connections.
 */
final class SessionRequests {
    private final SignalingFrontDoor door;

    SessionRequests(SignalingFrontDoor door) {
        this.door = door;
    }

    /** What {@code request} (any but a signal) of session {@code s} answers, made from {@code origin}. */
    CompletionStage<Object> handle(SignalingSession s, ClientMessage.Request request, ConsultationService.Origin origin) {
        Actor actor = s.actor();
        ConsultationService consultations = door.consultations();
        if (request instanceof ClientMessage.Join join) {
            ConsultationId id = consultationId(join.consultation());
            CompletionStage<?> listed = CompletableFuture.completedFuture(null);
            if (join.invite() != null) {
                // an invite for this consultation lists the joiner first; then the join is like anyone's
                if (!door.invites().verify(join.invite()).consultation().equals(id)) {
                    throw io.telesignal.core.invite.InviteException.invalid();
                }
                listed = door.invites().redeem(join.invite(), actor, origin);
            }
            // recorded before the join, so a session that ends meanwhile still leaves it
            s.joined(id);
            return listed.thenCompose(ignored -> door.dropEndpointsOnDownNodes(actor.user(), id))
                    .thenCompose(ignored -> consultations.join(actor, id, s.endpoint(), Optional.empty(), origin))
                    .thenCompose(c -> {
                if (s.ended()) {
                    consultations.leave(actor, id, s.endpoint(), origin);
                }
                if (!c.isAdmitted(actor.user())) {
                    return CompletableFuture.completedFuture((Object) Views.consultation(c, actor.user()));
                }
                // admitted at once: the recent chat comes with the answer
                return door.workers().submit(() -> (Object) Views.consultation(c, actor.user(),
                        door.chat().history(id, door.historyOnJoin())));
            });
        }
        if (request instanceof ClientMessage.Leave leave) {
            ConsultationId id = consultationId(leave.consultation());
            return consultations.leave(actor, id, s.endpoint(), origin).thenApply(c -> {
                s.left(id);
                door.calls().endpointGone(s.endpoint());
                return Views.consultation(c, actor.user());
            });
        }
        if (request instanceof ClientMessage.Admit admit) {
            return consultations.admit(actor, consultationId(admit.consultation()), userId(admit.user()), origin)
                    .thenApply(c -> Views.consultation(c, actor.user()));
        }
        if (request instanceof ClientMessage.Deny deny) {
            return consultations.deny(actor, consultationId(deny.consultation()), userId(deny.user()), origin)
                    .thenApply(c -> Views.consultation(c, actor.user()));
        }
        if (request instanceof ClientMessage.Remove remove) {
            return consultations.remove(actor, consultationId(remove.consultation()), userId(remove.user()), origin)
                    .thenApply(c -> Views.consultation(c, actor.user()));
        }
        if (request instanceof ClientMessage.End end) {
            return consultations.end(actor, consultationId(end.consultation()), origin)
                    .thenApply(c -> Views.consultation(c, actor.user()));
        }
        if (request instanceof ClientMessage.Chat chat) {
            return door.chat().send(actor, consultationId(chat.consultation()), s.endpoint(), chat.text(),
                    Optional.ofNullable(chat.clientId()), origin)
                    .thenApply(message -> (Object) Map.of("message", Views.chat(message)));
        }
        if (request instanceof ClientMessage.Invite invite) {
            Role role = Role.fromWireName(invite.role());
            Optional<java.time.Duration> ttl = Optional.ofNullable(invite.ttl()).map(SessionRequests::duration);
            return door.invites().create(actor, consultationId(invite.consultation()), role, ttl, origin)
                    .thenApply(created -> (Object) Map.of("invite", created.token(),
                            "expiresAt", created.invite().expiresAt().toString(), "role", role.wireName()));
        }
        if (request instanceof ClientMessage.PresenceUpdate update) {
            return door.presence().set(s, update.status(), update.note());
        }
        if (request instanceof ClientMessage.Watch watch) {
            return door.presence().watch(s, watch.users());
        }
        if (request instanceof ClientMessage.History history) {
            ConsultationId id = consultationId(history.consultation());
            int limit = history.limit() == null ? door.historyOnJoin() : history.limit();
            return consultations.authorize(actor, id, Action.CHAT, origin)
                    .thenCompose(c -> door.workers().submit(() -> (Object) Map.of("messages",
                            door.chat().history(id, limit).stream().map(Views::chat).toList())));
        }
        return CompletableFuture.failedFuture(new io.telesignal.core.Refusal("unknown_type", "unsupported request"));
    }


    private static ConsultationId consultationId(String value) {
        return new ConsultationId(value);
    }

    private static UserId userId(String value) {
        return new UserId(value);
    }

    private static java.time.Duration duration(String text) {
        return io.telesignal.core.Durations.parse(text)
                .orElseThrow(() -> new IllegalArgumentException("ttl must look like 90s, 15m, 2h, 1d"));
    }
}
