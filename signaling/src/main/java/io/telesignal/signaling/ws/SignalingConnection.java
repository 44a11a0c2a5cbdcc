package io.telesignal.signaling.ws;

import io.netty.util.concurrent.ScheduledFuture;
import io.telesignal.core.DomainException;
import io.telesignal.core.auth.TokenRejectedException;
import io.telesignal.core.call.CallSignal;
import io.telesignal.core.consultation.Action;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.work.BusyException;
import io.telesignal.core.work.Failures;
import io.telesignal.net.websocket.CloseCodes;
import io.telesignal.net.websocket.WebSocketConnection;
import io.telesignal.net.websocket.WebSocketHandler;
import io.telesignal.signaling.protocol.ClientMessage;
import io.telesignal.signaling.protocol.Decoded;
import io.telesignal.signaling.protocol.ServerMessage;
import io.telesignal.signaling.session.Outlet;
import io.telesignal.signaling.session.ResumeException;
import io.telesignal.signaling.session.SessionRegistry;
import io.telesignal.signaling.session.SignalingSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket on {@code /ws}. A state machine, every transition on the connection's event loop:
 *
 * <pre>
 * AWAITING_HELLO --hello--> AUTHENTICATING --ok--> ACTIVE --close--> CLOSED
 *       ^                          |
 *       '--- resume refused -------'   (the client may send a fresh hello on the same connection)
 * </pre>
 *
 * Before a session exists, answers go straight to the socket with {@code seq} 0; afterwards every answer and
 * event is part of the session's stream. A clean close (1000) ends the session; any other keeps it resumable
 * for the resume window.
 */
final class SignalingConnection implements WebSocketHandler, Outlet {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingConnection.class);

    private enum State { AWAITING_HELLO, AUTHENTICATING, ACTIVE, CLOSED }

    private final SignalingFrontDoor door;
    private final WebSocketConnection connection;
    private final String remoteAddress;
    /** Until hello is answered with welcome; then cancelled and let go (every idle connection would keep it). */
    private ScheduledFuture<?> helloTimer;
    private final RateLimits.Lease rate;
    private int dropped;
    private State state = State.AWAITING_HELLO;
    private SignalingSession session;
    /** How often at most the connection moves to its peer's loop (nanoseconds); 0: never. */
    private final long moveInterval;
    /** When it last looked for its peer's loop, and moved if it was another ({@link System#nanoTime()}). */
    private long movedAt;

    SignalingConnection(SignalingFrontDoor door, WebSocketConnection connection) {
        this.door = door;
        this.connection = connection;
        this.remoteAddress = connection.remoteAddress().getAddress().getHostAddress();
        this.rate = door.rateLimits().open(connection.remoteAddress().getAddress());
        this.moveInterval = door.settings().peerMoves().map(java.time.Duration::toNanos).orElse(0L);
        this.movedAt = System.nanoTime() - moveInterval;
        this.helloTimer = connection.eventLoop().schedule(this::helloTimedOut,
                door.settings().helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- Outlet: the session writes through here while attached

    io.netty.channel.EventLoop eventLoop() {
        return connection.eventLoop();
    }

    @Override
    public void send(String text) {
        connection.send(text);
    }

    @Override
    public void close(int code, String reason) {
        connection.close(code, reason);
    }

    @Override
    public void later(Runnable task, java.time.Duration delay) {
        connection.execute(task, delay); // on the loop the connection is on then, after this turn's messages
    }

    /**
     * Shares an event loop with the peer this connection signals (when both are connected to this node): relaying
     * between two connections of one loop takes no hand-off between threads, which on a busy server costs more than
     * the relay. Of two peers the one with the larger endpoint id moves to the other's loop, so two that signal at
     * once do not swap; a connection looks (and moves) at most once per {@code signaling.peerMoveInterval}, so one that
     * signals several peers on several loops does not bounce between them. Called on the connection's loop.
     */
    private void followPeer(EndpointId to) {
        if (moveInterval == 0 || to.value().compareTo(session.endpoint().value()) >= 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - movedAt < moveInterval) {
            return;
        }
        // looked up once per interval, not per signal: once on the peer's loop there is nothing to do until then
        movedAt = now;
        door.loopOf(to).filter(loop -> loop != connection.eventLoop()).ifPresent(connection::moveTo);
    }

    // ---- WebSocketHandler

    @Override
    public void onText(String text) {
        if (state == State.CLOSED) {
            return;
        }
        RateLimits.Lease.Verdict verdict = rate.tryConsume();
        if (verdict != RateLimits.Lease.Verdict.PASS) {
            limited(text, verdict == RateLimits.Lease.Verdict.CONNECTION_LIMIT);
            return;
        }
        dropped = 0;
        Decoded decoded = door.codec().decode(text);
        switch (state) {
            case AWAITING_HELLO -> expectHello(decoded);
            case AUTHENTICATING -> sendDirect(new ServerMessage.Error(decoded.ok() ? requestId(decoded.message()) : null,
                    "not_ready", "wait for welcome before sending more"));
            case ACTIVE -> active(decoded);
            case CLOSED -> { }
        }
    }

    /**
     * Over the rate: the message is dropped unread and answered {@code rate_limited}; a client that goes on
     * sending a whole burst's worth of dropped messages is abusive and closed with 4429.
     */
    private void limited(String text, boolean ownLimit) {
        // only this connection's own excess counts toward closing it: a neighbour behind the same address is not abusive
        if (ownLimit) {
            dropped++;
        }
        if (dropped > door.rateLimits().burst()) {
            LOG.warn("event=ws_rate_limited action=close remote={}", io.telesignal.core.ClientAddresses.forLog(remoteAddress));
            connection.close(CloseCode.RATE_LIMITED, "rate limited");
            state = State.CLOSED;
            return;
        }
        Decoded decoded = door.codec().decode(text);
        String re = decoded.ok() ? requestId(decoded.message()) : null;
        ServerMessage.Error error = new ServerMessage.Error(re, "rate_limited", "too many messages; slow down");
        if (state == State.ACTIVE) {
            session.send(error);
        } else {
            sendDirect(error);
        }
    }

    @Override
    public void onClose(int code) {
        State was = state;
        state = State.CLOSED;
        rate.release();
        stopHelloTimer();
        if (session != null && (was == State.ACTIVE || was == State.CLOSED)) {
            if (code == CloseCodes.NORMAL && session.leftBy(this)) {
                door.registry().end(session);
            } else {
                door.registry().detach(session, this);
                if (!session.ended()) {
                    door.presence().dropped(session);
                }
            }
        }
    }

    // ---- hello and authentication

    private void activated() {
        state = State.ACTIVE;
        stopHelloTimer();
    }

    private void stopHelloTimer() {
        if (helloTimer != null) {
            helloTimer.cancel(false);
            helloTimer = null;
        }
    }

    private void helloTimedOut() {
        if (state == State.AWAITING_HELLO || state == State.AUTHENTICATING) {
            sendDirect(new ServerMessage.Error(null, "hello_timeout", "no hello in time"));
            connection.close(CloseCode.HELLO_TIMEOUT, "hello timeout");
        }
    }

    private void expectHello(Decoded decoded) {
        if (!decoded.ok()) {
            sendDirect(new ServerMessage.Error(decoded.error().re(), decoded.error().code(), decoded.error().message()));
            connection.close(CloseCode.BAD_REQUEST, decoded.error().code());
            return;
        }
        if (!(decoded.message() instanceof ClientMessage.Hello hello)) {
            sendDirect(new ServerMessage.Error(requestId(decoded.message()), "hello_required",
                    "the first message must be hello"));
            connection.close(CloseCode.BAD_REQUEST, "hello_required");
            return;
        }
        state = State.AUTHENTICATING;
        door.workers().submit(() -> door.authenticate(hello.token(), remoteAddress))
                .whenComplete((actor, failure) -> connection.eventLoop().execute(() -> authenticated(hello, actor, failure)));
    }

    private void authenticated(ClientMessage.Hello hello, Actor actor, Throwable failure) {
        if (state != State.AUTHENTICATING) {
            return;
        }
        if (failure != null) {
            refuse(Failures.cause(failure));
            return;
        }
        if (hello.resume() != null) {
            resume(hello.resume(), actor);
        } else {
            start(actor, hello);
        }
    }

    private void refuse(Throwable cause) {
        if (cause instanceof TokenRejectedException rejected) {
            sendDirect(new ServerMessage.Error(null, rejected.code(), "token refused"));
            connection.close(CloseCode.UNAUTHORIZED, rejected.code());
        } else if (cause instanceof AuthenticationRefused refused) {
            sendDirect(new ServerMessage.Error(null, refused.code(), refused.getMessage()));
            connection.close(refused.closeCode(), refused.code());
        } else if (cause instanceof BusyException || cause instanceof io.telesignal.core.audit.AuditUnavailableException
                || cause instanceof DomainException domain && domain.code().equals("cluster_unavailable")) {
            // the server cannot take the sign-in now (workers saturated, audit trail unable to record, the shared
            // sessions away): retry later
            String code = ((DomainException) cause).code();
            sendDirect(new ServerMessage.Error(null, code, "server busy, retry shortly"));
            connection.close(1013, "try again later");
        } else {
            String id = io.telesignal.core.work.Failures.unexpected(LOG, "event=ws_hello outcome=error", cause);
            sendDirect(new ServerMessage.Error(null, "internal_error", "internal error (" + id + ")"));
            connection.close(1011, "internal error");
        }
    }

    private void start(Actor actor, ClientMessage.Hello hello) {
        SignalingSession opened;
        try {
            opened = door.registry().open(actor);
        } catch (SessionRegistry.TooManySessionsException | SessionRegistry.AccountDisabledException e) {
            sendDirect(new ServerMessage.Error(null, e.code(), e.getMessage()));
            connection.close(CloseCode.FORBIDDEN, e.code());
            return;
        }
        Endpoint endpoint = new Endpoint(opened.endpoint(), actor.user(), FrontDoor.WEBSOCKET, door.node(),
                remoteAddress, door.clock().instant());
        door.router().connect(endpoint, door.sinkFor(opened));
        if (hello.cumulativeSignalAcks()) {
            opened.cumulativeSignalAcks();
        }
        session = opened;
        activated();
        door.registry().attach(opened, this, 0, welcome(opened, false, null));
        door.presence().opened(opened);
        door.audit().record(io.telesignal.core.audit.AuditEvent.of("session.opened", actor.user().value(),
                io.telesignal.core.audit.Outcome.OK).endpoint(opened.endpoint().value()).remoteAddress(remoteAddress))
                .whenComplete((recorded, failure) -> {
                    if (failure != null) {
                        // no session goes unaudited: one the trail could not record is ended at once
                        connection.execute(() -> auditFailed(opened), java.time.Duration.ZERO);
                    }
                });
        LOG.info("event=ws_session_opened session={} user={}", opened.id(), actor.user());
    }

    private void auditFailed(SignalingSession opened) {
        LOG.error("event=ws_session_opened outcome=audit_failed session={}", opened.id());
        if (session == opened && state == State.ACTIVE) {
            opened.send(new ServerMessage.Error(null, "audit_unavailable", "the audit trail cannot record; retry shortly"));
            state = State.CLOSED;
            connection.close(1013, "try again later");
            door.registry().detach(opened, this); // so that ending it does not close this connection a second time
            door.registry().end(opened);
        } else if (!opened.ended()) {
            door.registry().end(opened);
        }
    }

    private void resume(ClientMessage.Resume resume, Actor actor) {
        door.registry().resume(resume.session(), resume.resumeToken(), actor, resume.lastSeq())
                .whenComplete((found, failure) -> connection.eventLoop().execute(() -> resumed(resume, found, failure)));
    }

    /** On the event loop: the session to resume, here or claimed from the store, or why not. */
    private void resumed(ClientMessage.Resume resume, SignalingSession found, Throwable failure) {
        Throwable cause = failure == null ? null : Failures.cause(failure);
        if (state != State.AUTHENTICATING) {
            if (found != null && found.takeUp()) {
                door.takeUp(found); // claimed for a connection that went meanwhile: it is this node's all the same
            }
            return;
        }
        if (cause != null && !(cause instanceof ResumeException)) {
            refuse(cause);
            return;
        }
        try {
            if (cause != null) {
                throw (ResumeException) cause;
            }
            session = found;
            activated();
            int replayed = door.registry().attach(found, this, resume.lastSeq(),
                    welcome(found, true, resume.lastSeq() + 1));
            if (found.takeUp()) {
                door.takeUp(found);
            } else {
                door.presence().resumed(found);
            }
            LOG.info("event=ws_session_resumed session={} user={} replayed={}", found.id(), found.actor().user(),
                    replayed);
        } catch (ResumeException e) {
            session = null;
            state = State.AWAITING_HELLO;
            sendDirect(new ServerMessage.Error(null, e.code(), e.getMessage()));
        }
    }

    private String welcome(SignalingSession s, boolean resumed, Long replayFrom) {
        Actor actor = s.actor();
        ServerMessage.UserView user = new ServerMessage.UserView(actor.user().value(), actor.displayName(),
                actor.roles().stream().map(Role::wireName).sorted().toList());
        return door.codec().encode(0, new ServerMessage.Welcome(s.id(), s.endpoint().value(), resumeTokenOf(s), resumed, replayFrom,
                door.settings().webSocket().pingInterval().toMillis(), door.settings().webSocket().maxMessageBytes(),
                user, iceServers(actor)));
    }

    /** RTCIceServer dictionaries, with fresh TURN credentials on every welcome. */
    private List<Map<String, Object>> iceServers(Actor actor) {
        return door.iceServers().forUser(actor.user()).stream().map(server -> {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("urls", server.urls());
            if (server.username() != null) {
                entry.put("username", server.username());
                entry.put("credential", server.credential());
            }
            return entry;
        }).toList();
    }

    private static String resumeTokenOf(SignalingSession s) {
        return s.resumeToken();
    }

    // ---- active session

    private void active(Decoded decoded) {
        decoded.ack().ifPresent(session::acknowledge);
        if (!decoded.ok()) {
            session.send(new ServerMessage.Error(decoded.error().re(), decoded.error().code(), decoded.error().message()));
            return;
        }
        ClientMessage message = decoded.message();
        if (message instanceof ClientMessage.Ack ack) {
            session.acknowledge(ack.seq());
        } else if (message instanceof ClientMessage.Hello) {
            session.send(new ServerMessage.Error(null, "already_authenticated", "this connection has a session"));
        } else if (message instanceof ClientMessage.Request request) {
            if (!session.begin(request.id(), request instanceof ClientMessage.Signal)) {
                return;
            }
            SignalingSession current = session;
            CompletionStage<Object> outcome;
            try {
                outcome = handle(current, request);
            } catch (RuntimeException e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            outcome.whenComplete((body, failure) -> current.answer(request.id(), failure == null
                    ? new ServerMessage.Result(request.id(), body) : error(request.id(), Failures.cause(failure))));
        }
    }

    private CompletionStage<Object> handle(SignalingSession s, ClientMessage.Request request) {
        Actor actor = s.actor();
        ConsultationService consultations = door.consultations();
        ConsultationService.Origin origin = new ConsultationService.Origin(s.endpoint().value(), remoteAddress);
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
        if (request instanceof ClientMessage.Signal signal) {
            return relay(s, signal, origin);
        }
        if (request instanceof ClientMessage.Chat chat) {
            return door.chat().send(actor, consultationId(chat.consultation()), s.endpoint(), chat.text(),
                    Optional.ofNullable(chat.clientId()), origin)
                    .thenApply(message -> (Object) Map.of("message", Views.chat(message)));
        }
        if (request instanceof ClientMessage.Invite invite) {
            Role role = Role.fromWireName(invite.role());
            Optional<java.time.Duration> ttl = Optional.ofNullable(invite.ttl()).map(SignalingConnection::duration);
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

    /**
     * The consultation and peer of the last signal (a call sends hundreds to the same): their ids are taken again
     * rather than checked and made anew, and their strings keep their hash codes for the maps they are looked up in.
     * Touched on the connection's loop only.
     */
    private ConsultationId lastSignalConsultation;
    private EndpointId lastSignalPeer;

    /** Relays call signaling to an admitted peer endpoint of the same consultation. */
    private CompletionStage<Object> relay(SignalingSession s, ClientMessage.Signal signal,
            ConsultationService.Origin origin) {
        ConsultationId id = lastSignalConsultation != null && lastSignalConsultation.value().equals(signal.consultation())
                ? lastSignalConsultation : (lastSignalConsultation = consultationId(signal.consultation()));
        EndpointId to = lastSignalPeer != null && lastSignalPeer.value().equals(signal.to())
                ? lastSignalPeer : (lastSignalPeer = endpointId(signal.to()));
        CompletableFuture<Void> handed = new CompletableFuture<>();
        // in the order sent: checked after the previous signal was handed to the router, handed on in turn (most
        // often the previous one was long since, and this one is checked at once)
        CompletableFuture<Void> previous = s.relayAfter(handed);
        CompletionStage<Consultation> authorized = previous.isDone()
                ? door.consultations().authorize(s.actor(), id, Action.SIGNAL, origin)
                : previous.thenCompose(ready -> door.consultations().authorize(s.actor(), id, Action.SIGNAL, origin));
        CompletionStage<Object> relayed = authorized.thenCompose(c -> c.admittedEndpoint(to).isPresent()
                ? CompletableFuture.completedFuture(c)
                // this node's copy may not know yet that the peer was admitted on another node: ask for the latest
                : door.consultations().latest(id)).thenCompose(c -> {
            var peer = c.admittedEndpoint(to).filter(attendee -> !to.equals(s.endpoint()));
            if (peer.isEmpty()) {
                throw new io.telesignal.core.Refusal("peer_unavailable", "no admitted participant endpoint " + to + " here");
            }
            if (connection.eventLoop().inEventLoop()) {
                followPeer(to); // else authorized on a worker: the next signal will
            }
            if (signal.description() != null) {
                // RFC 8866 grammar, size, codec policy and RFC 3264 offer/answer, before the peer sees it
                door.checkDescription(id.value(), s.endpoint().value(), to.value(), signal.description().type(),
                        signal.description().sdpText());
            }
            CallSignal event = new CallSignal(id, s.actor().user(), s.endpoint(),
                    signal.description() == null ? null
                            : new CallSignal.Description(signal.description().type(), signal.description().sdpText(),
                                    signal.description().sdpLiteral()),
                    signal.candidate() == null ? null : new CallSignal.Candidate(signal.candidate().candidate(),
                            signal.candidate().sdpMid(), signal.candidate().sdpMLineIndex(),
                            signal.candidate().usernameFragment()),
                    Boolean.TRUE.equals(signal.restart()),
                    signal.hangup() == null ? null : new CallSignal.Hangup(signal.hangup().reason()), signal.id());
            UserId toUser = peer.get().user();
            CompletionStage<DeliveryOutcome> delivered = door.router().deliver(to, event);
            handed.complete(null);
            return delivered.thenCompose(outcome -> {
                if (outcome != DeliveryOutcome.DELIVERED) {
                    throw new io.telesignal.core.Refusal("peer_unavailable", "the peer could not be reached");
                }
                // a signal that starts, connects or ends a call is answered once its call record is committed; the
                // peer has the signal either way, so a record that fails (logged by the tracker) does not fail it
                return door.calls().relayed(event, toUser, to).handle((recorded, failure) -> (Object) null);
            });
        });
        if (!handed.isDone()) {
            relayed.whenComplete((done, failure) -> handed.complete(null)); // refused or failed: the next goes
        }
        return relayed;
    }

    private ServerMessage.Error error(String re, Throwable cause) {
        if (cause instanceof DomainException domain && domain.code().equals("cluster_unavailable")) {
            // what kind of failure it was, for the operator (its message could quote a reply: not logged)
            Throwable root = cause.getCause() == null ? cause : cause.getCause();
            LOG.warn("event=ws_request outcome=cluster_unavailable re={} kind={}", re, root.getClass().getSimpleName());
        }
        if (cause instanceof DomainException domain) {
            return new ServerMessage.Error(re, domain.code(), domain.getMessage());
        }
        if (cause instanceof IllegalArgumentException invalid) {
            return new ServerMessage.Error(re, "invalid_field", invalid.getMessage());
        }
        String id = io.telesignal.core.work.Failures.unexpected(LOG, "event=ws_request outcome=error re=" + re, cause);
        return new ServerMessage.Error(re, "internal_error", "internal error (" + id + ")");
    }

    private void sendDirect(ServerMessage message) {
        connection.send(door.codec().encode(0, message));
    }

    private static String requestId(ClientMessage message) {
        return message instanceof ClientMessage.Request request ? request.id() : null;
    }

    private static ConsultationId consultationId(String value) {
        return new ConsultationId(value);
    }

    private static UserId userId(String value) {
        return new UserId(value);
    }

    private static EndpointId endpointId(String value) {
        return new EndpointId(value);
    }

    private static java.time.Duration duration(String text) {
        return io.telesignal.core.Durations.parse(text)
                .orElseThrow(() -> new IllegalArgumentException("ttl must look like 90s, 15m, 2h, 1d"));
    }

}
