package io.telesignal.signaling.ws;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.presence.Presence;
import io.telesignal.core.presence.PresenceChanged;
import io.telesignal.core.presence.PresencePolicy;
import io.telesignal.core.presence.PresenceService;
import io.telesignal.core.presence.PresenceStatus;
import io.telesignal.core.presence.UserPresence;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.signaling.protocol.ServerMessage;
import io.telesignal.signaling.session.SignalingSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence for {@code /ws} sessions: every session is an endpoint whose presence is {@code available} when it
 * opens, {@code reconnecting} while its connection is down, and gone when it ends; {@code presence} sets it; and
 * {@code watch} subscribes a session to other users' aggregated presence as far as {@link PresencePolicy} allows.
 *
 * <p>Hazard: change events arrive on whatever thread completed the store's future; each carries a version, and
 * an event older than the last one sent for that user is dropped, so watchers never see a stale status last.
 */
final class PresenceWatch {
    private final PresenceService presence;
    private final PresencePolicy policy = new PresencePolicy();
    private final Accounts accounts;
    private final ConsultationService consultations;
    private final WorkerPool workers;
    private final Map<UserId, Set<SignalingSession>> watchers = new ConcurrentHashMap<>();
    private final Map<UserId, Long> lastVersion = new ConcurrentHashMap<>();
    private final Map<SignalingSession, Presence> chosen = new ConcurrentHashMap<>();

    PresenceWatch(PresenceService presence, Accounts accounts, ConsultationService consultations, WorkerPool workers) {
        this.presence = presence;
        this.accounts = accounts;
        this.consultations = consultations;
        this.workers = workers;
        presence.addListener(this::changed);
    }

    void opened(SignalingSession session) {
        Presence initial = new Presence(PresenceStatus.AVAILABLE, "");
        chosen.put(session, initial);
        presence.update(session.actor().user(), session.endpoint(), initial);
    }

    void resumed(SignalingSession session) {
        presence.update(session.actor().user(), session.endpoint(),
                chosen.getOrDefault(session, new Presence(PresenceStatus.AVAILABLE, "")));
    }

    /** Sets every session's presence again (the shared store lost it); answers when all are set. */
    CompletionStage<Void> republish() {
        CompletableFuture<?>[] all = chosen.entrySet().stream().map(entry -> presence.update(
                entry.getKey().actor().user(), entry.getKey().endpoint(), entry.getKey().detachedSince().isPresent()
                        ? new Presence(PresenceStatus.RECONNECTING, "") : entry.getValue())
                .thenCompose(done -> chosen.containsKey(entry.getKey()) ? CompletableFuture.<Object>completedFuture(done)
                        // the session ended while this ran: its presence goes again
                        : presence.endpointGone(entry.getKey().actor().user(), entry.getKey().endpoint())
                                .thenApply(gone -> (Object) gone))
                .toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }

    /** A session claimed from another node: its presence and watches as its context kept them. */
    void claimed(SignalingSession session) {
        Presence restored = session.context("presence").map(PresenceWatch::presence)
                .orElse(new Presence(PresenceStatus.AVAILABLE, ""));
        chosen.put(session, restored);
        presence.update(session.actor().user(), session.endpoint(), restored);
        for (UserId watched : watched(session)) {
            watchers.computeIfAbsent(watched, t -> ConcurrentHashMap.newKeySet()).add(session);
        }
    }

    /** A session that moved to another node: forgotten here, its presence left to that node. */
    void moved(SignalingSession session) {
        chosen.remove(session);
        watchers.values().forEach(set -> set.remove(session));
    }

    private static Presence presence(String text) {
        int cut = text.indexOf('\n');
        try {
            return new Presence(PresenceStatus.fromWireName(cut < 0 ? text : text.substring(0, cut)),
                    cut < 0 ? "" : text.substring(cut + 1));
        } catch (IllegalArgumentException e) {
            return new Presence(PresenceStatus.AVAILABLE, "");
        }
    }

    private static java.util.Set<UserId> watched(SignalingSession session) {
        java.util.Set<UserId> users = new java.util.TreeSet<>(java.util.Comparator.comparing(UserId::value));
        for (String id : session.context("watch").orElse("").split(",")) {
            if (!id.isEmpty()) {
                users.add(new UserId(id));
            }
        }
        return users;
    }

    void dropped(SignalingSession session) {
        presence.update(session.actor().user(), session.endpoint(), new Presence(PresenceStatus.RECONNECTING, ""));
    }

    void ended(SignalingSession session) {
        chosen.remove(session);
        watchers.values().forEach(set -> set.remove(session));
        presence.endpointGone(session.actor().user(), session.endpoint());
    }

    CompletionStage<Object> set(SignalingSession session, String status, String note) {
        Presence next = new Presence(PresenceStatus.fromWireName(status), note == null ? "" : note);
        chosen.put(session, next);
        session.context("presence", next.status().wireName() + "\n" + next.note());
        return presence.update(session.actor().user(), session.endpoint(), next)
                .thenApply(aggregate -> (Object) notice(aggregate));
    }

    /** Subscribes; answers the current presence of the users allowed and the ids refused. */
    CompletionStage<Object> watch(SignalingSession session, List<String> ids) {
        Actor watcher = session.actor();
        // the consultations come from the worker pool themselves: chained, not awaited on a worker
        return consultations.involving(watcher.user()).thenCompose(mine -> workers.submit(() -> {
            Map<UserId, Boolean> decisions = new LinkedHashMap<>();
            for (String id : ids) {
                UserId target;
                try {
                    target = new UserId(id);
                } catch (IllegalArgumentException e) {
                    decisions.put(null, false);
                    continue;
                }
                Set<Role> roles = accounts.find(target).map(User::roles).orElse(Set.of());
                decisions.put(target, policy.mayWatch(watcher, target, roles, mine));
            }
            return decisions;
        })).thenCompose(decisions -> {
            List<String> refused = new ArrayList<>();
            List<CompletableFuture<UserPresence>> current = new ArrayList<>();
            decisions.forEach((target, allowed) -> {
                if (target == null || !allowed) {
                    refused.add(target == null ? "(invalid)" : target.value());
                    return;
                }
                watchers.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(session);
                current.add(presence.get(target).toCompletableFuture());
            });
            java.util.Set<UserId> all = watched(session);
            decisions.forEach((target, allowed) -> {
                if (target != null && allowed) {
                    all.add(target);
                }
            });
            session.context("watch", String.join(",", all.stream().map(UserId::value).toList()));
            return CompletableFuture.allOf(current.toArray(CompletableFuture[]::new)).thenApply(done -> (Object) Map.of(
                    "presence", current.stream().map(CompletableFuture::join).map(PresenceWatch::notice).toList(),
                    "refused", refused));
        });
    }

    private void changed(PresenceChanged event) {
        UserId user = event.after().user();
        Long previous = lastVersion.merge(user, event.version(), Math::max);
        if (previous != event.version()) {
            return; // a newer change was sent already
        }
        Set<SignalingSession> sessions = watchers.get(user);
        if (sessions == null) {
            return;
        }
        ServerMessage.PresenceNotice notice = notice(event.after());
        for (SignalingSession session : sessions) {
            session.send(notice);
        }
    }

    private static ServerMessage.PresenceNotice notice(UserPresence p) {
        return new ServerMessage.PresenceNotice(p.user().value(), p.presence().status().wireName(), p.presence().note());
    }

    /** The presence service this watch serves from, for the other front doors to publish into. */
    public PresenceService service() {
        return presence;
    }
}
