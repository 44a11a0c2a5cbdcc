package io.telesignal.signaling.session;

import io.telesignal.core.DomainException;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.signaling.protocol.ProtocolCodec;
import io.telesignal.signaling.protocol.ServerMessage;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The sessions of this node: opens them (within the per-user limit), resumes them, and ends those detached for
 * longer than the resume window ({@link #expire}, called periodically), telling the owner through
 * {@code onEnded} so that it can leave consultations and unregister the endpoint. In cluster mode a session another
 * node holds (or held, until it died) is claimed from the shared store when its client resumes here, and one another
 * node claimed is let go ({@link #lost}).
 */
public final class SessionRegistry {
    private final Map<String, SignalingSession> sessions = new ConcurrentHashMap<>();
    /** Sessions per user, kept with every open and end, so the limit costs no scan. */
    private final Map<io.telesignal.core.identity.UserId, Integer> perUser = new java.util.HashMap<>();
    private final SessionSettings settings;
    private final ProtocolCodec codec;
    private final Function<CoreEvent, Optional<ServerMessage>> translate;
    private final Clock clock;
    private final Consumer<SignalingSession> onEnded;
    private final SecureRandom random = new SecureRandom();
    /**
     * How long a user disabled over the API is refused here without asking the directory: longer than a hello takes
     * from its token check (which reads the account) to opening or resuming its session. After that every hello
     * meets the account's own flag, so the bar need not outlive the race, and the CLI (which the node never hears
     * from) stays the authority for enabling again.
     */
    static final java.time.Duration BAR = java.time.Duration.ofMinutes(1);
    /** Users disabled over this node's API, until when: no session opens or resumes for them meanwhile. */
    private final Map<UserId, Instant> barred = new ConcurrentHashMap<>();
    /** Cluster mode: sessions mirrored to the store, claimed from it; null on a single node. */
    private final SessionMirror mirror;
    private final Consumer<SignalingSession> onLost;
    private final Consumer<SignalingSession> onClaimed;

    /** A single node's sessions. */
    public SessionRegistry(SessionSettings settings, ProtocolCodec codec,
            Function<CoreEvent, Optional<ServerMessage>> translate, Clock clock, Consumer<SignalingSession> onEnded) {
        this(settings, codec, translate, clock, onEnded, Optional.empty(), session -> { }, session -> { });
    }

    /**
     * @param mirror  cluster mode's store of sessions, empty on a single node
     * @param onLost  called with a session another node took over, once it is gone from here (not ended: it goes on)
     * @param onClaimed called with a session claimed here from the store, before its client is attached
     */
    public SessionRegistry(SessionSettings settings, ProtocolCodec codec,
            Function<CoreEvent, Optional<ServerMessage>> translate, Clock clock, Consumer<SignalingSession> onEnded,
            Optional<SessionMirror> mirror, Consumer<SignalingSession> onLost, Consumer<SignalingSession> onClaimed) {
        this.mirror = mirror.orElse(null);
        this.onClaimed = onClaimed;
        this.onLost = onLost;
        this.settings = settings;
        this.codec = codec;
        this.translate = translate;
        this.clock = clock;
        this.onEnded = onEnded;
    }

    /** Too many sessions for one user. */
    public static final class TooManySessionsException extends DomainException {
        private static final long serialVersionUID = 1L;

        TooManySessionsException(int limit) {
            super("at most " + limit + " sessions per user");
        }

        @Override
        public String code() {
            return "too_many_sessions";
        }
    }

    /** The user was disabled while signing in: the session is not opened. */
    public static final class AccountDisabledException extends DomainException {
        private static final long serialVersionUID = 1L;

        AccountDisabledException() {
            super("the account is disabled");
        }

        @Override
        public String code() {
            return "account_disabled";
        }
    }

    public synchronized SignalingSession open(Actor actor) {
        if (barred(actor.user())) {
            throw new AccountDisabledException();
        }
        int mine = perUser.getOrDefault(actor.user(), 0);
        if (mine >= settings.maxSessionsPerUser()) {
            throw new TooManySessionsException(settings.maxSessionsPerUser());
        }
        perUser.merge(actor.user(), 1, Integer::sum);
        String id = "s" + token(12);
        SignalingSession session = new SignalingSession(id, token(24), actor, endpointOf(id), codec,
                translate, settings, clock, mirror);
        sessions.put(id, session);
        if (mirror != null) {
            // written before the first message is mirrored (one connection keeps the order); should the store be away,
            // the session goes on here and is written when it is back
            mirror.store().write(session.opening()).whenComplete((done, failure) -> {
                if (failure != null) {
                    session.storeLost();
                }
            });
        }
        return session;
    }

    /** The endpoint of a WebSocket session. */
    public static EndpointId endpointOf(String session) {
        return new EndpointId("websocket-" + session);
    }

    /** The session of a WebSocket endpoint, if it is one. */
    public static Optional<String> sessionOf(EndpointId endpoint) {
        return endpoint.value().startsWith("websocket-")
                ? Optional.of(endpoint.value().substring("websocket-".length())) : Optional.empty();
    }

    /**
     * The session to resume: this node's, if it holds it (checked as {@link #resumable(String, String, UserId)}), else,
     * in cluster mode, claimed from the store for {@code actor}'s client that has seen everything up to {@code lastSeq}
     * — the node that held it died, or the client moved. Fails with {@link ResumeException} when it cannot be resumed.
     */
    public java.util.concurrent.CompletionStage<SignalingSession> resume(String id, String resumeToken, Actor actor,
            long lastSeq) {
        if (mirror == null || sessions.containsKey(id) || barred(actor.user())) {
            try {
                return java.util.concurrent.CompletableFuture.completedFuture(resumable(id, resumeToken, actor.user()));
            } catch (ResumeException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }
        return mirror.store().claim(id, actor.user().value(), SessionMirror.tokenHash(resumeToken), mirror.self(),
                lastSeq).thenApply(claim -> {
                    if (claim.refusal().isPresent()) {
                        throw switch (claim.refusal().get()) {
                            case EXPIRED -> ResumeException.expired();
                            case OVERFLOWED -> ResumeException.overflowed();
                            case POSITION -> ResumeException.badPosition();
                        };
                    }
                    SignalingSession session;
                    try {
                        session = SignalingSession.claimed(id, resumeToken, actor, endpointOf(id), codec, translate,
                                settings, clock, mirror, claim.claimed().orElseThrow());
                    } catch (ResumeException e) {
                        mirror.store().end(id, Optional.of(mirror.self())); // claimed for nothing: not left in the store
                        throw e;
                    }
                    SignalingSession previous;
                    synchronized (this) {
                        perUser.merge(actor.user(), 1, Integer::sum);
                        previous = sessions.put(id, session);
                    }
                    if (previous != null) {
                        lost(previous); // claimed here while an old copy was still here (a resume raced it)
                    }
                    onClaimed.accept(session);
                    return session;
                });
    }

    /**
     * Another node took session {@code id} over: this node's copy goes, without ending it (its consultations, endpoint
     * and presence go on there). Answers whether this node had it.
     */
    public boolean lost(String id) {
        SignalingSession session = sessions.get(id);
        return session != null && lost(session);
    }

    /** As {@link #lost(String)}, for this copy. */
    public boolean lost(SignalingSession session) {
        if (!session.lose()) {
            return false;
        }
        if (sessions.remove(session.id(), session)) {
            released(session);
        }
        onLost.accept(session);
        return true;
    }

    /**
     * Writes again to the store every session it lost messages of, and passes acknowledgements on (cluster mode; the
     * sweeper calls it every second); answers how many were written again.
     */
    public int resync() {
        if (mirror == null) {
            return 0; // a single node mirrors nothing: no session to visit
        }
        int due = 0;
        for (SignalingSession session : sessions.values()) {
            session.flushAcknowledgements();
            if (session.resyncDue()) {
                session.resync();
                due++;
            }
        }
        return due;
    }

    /** The store restarted empty: every session is written there again. */
    public void storeLost() {
        sessions.values().forEach(SignalingSession::storeLost);
        resync();
    }

    /** The session to resume, if the id, token and user match and its window has not lapsed. */
    public SignalingSession resumable(String id, String resumeToken, UserId user) {
        SignalingSession session = sessions.get(id);
        if (session == null || session.ended() || !session.actor().user().equals(user) || barred(user)
                || !session.checkResumeToken(resumeToken) || lapsed(session, clock.instant())) {
            throw ResumeException.expired();
        }
        return session;
    }

    /** Attaches a connection, greets it and replays what it missed after {@code lastSeq}; answers the count. */
    public int attach(SignalingSession session, Outlet outlet, long lastSeq, String greeting) {
        return session.attach(outlet, lastSeq, greeting);
    }

    public void detach(SignalingSession session, Outlet outlet) {
        session.detach(outlet, clock.instant());
    }

    /** Ends a session now (the client said goodbye, or the server is stopping): an attached client gets 1001. */
    public void end(SignalingSession session) {
        end(session, 1001, "session ended");
    }

    /** Ends a session now and closes its connection, if one is attached, with {@code code}. */
    public void end(SignalingSession session, int code, String reason) {
        if (sessions.remove(session.id(), session)) {
            session.end(code, reason);
            released(session);
            forget(session);
            onEnded.accept(session);
        }
    }

    /** Cluster mode: an ended session goes from the store too, while this node holds it. */
    private void forget(SignalingSession session) {
        if (mirror != null) {
            mirror.store().end(session.id(), Optional.of(mirror.self()));
        }
    }

    private synchronized void released(SignalingSession session) {
        perUser.computeIfPresent(session.actor().user(), (user, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * The user was disabled: from now on no session opens or resumes for them here, and those open are ended with
     * {@code code}. A hello that was authenticated just before the account changed either opened its session
     * before this (and it is ended here) or opens it after (and is refused). Answers how many were ended.
     */
    public int bar(UserId user, int code, String reason) {
        List<SignalingSession> open;
        synchronized (this) {
            barred.put(user, clock.instant().plus(BAR));
            open = list(Optional.of(user));
        }
        open.forEach(session -> end(session, code, reason));
        return open.size();
    }

    private boolean barred(UserId user) {
        Instant until = barred.get(user);
        return until != null && clock.instant().isBefore(until);
    }

    /** The user was enabled again. */
    public void unbar(UserId user) {
        barred.remove(user);
    }

    /** Cuts a session's connection and keeps the session for the client to resume; false when none was attached. */
    public boolean disconnect(SignalingSession session, int code, String reason) {
        return session.disconnect(code, reason, clock.instant());
    }

    public Optional<SignalingSession> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** This node's sessions, those of {@code user} only when given, ordered by id. */
    public List<SignalingSession> list(Optional<UserId> user) {
        return sessions.values().stream().filter(s -> user.isEmpty() || s.actor().user().equals(user.get()))
                .sorted(java.util.Comparator.comparing(SignalingSession::id)).toList();
    }

    /** Ends every session detached for longer than the resume window (and forgets lapsed bars); answers how many. */
    public int expire() {
        Instant now = clock.instant();
        barred.values().removeIf(until -> !now.isBefore(until));
        int ended = 0;
        for (SignalingSession session : sessions.values()) {
            // decided under the session's lock: a resume that attached meanwhile wins
            if (session.endIfLapsed(now, settings.resumeWindow()) && sessions.remove(session.id(), session)) {
                released(session);
                forget(session);
                onEnded.accept(session);
                ended++;
            }
        }
        return ended;
    }

    /** Ends every session (shutdown). */
    public void endAll() {
        List.copyOf(sessions.values()).forEach(this::end);
    }

    public int size() {
        return sessions.size();
    }

    private boolean lapsed(SignalingSession session, Instant now) {
        return session.detachedSince().map(since -> !now.isBefore(since.plus(settings.resumeWindow()))).orElse(false);
    }

    private String token(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
