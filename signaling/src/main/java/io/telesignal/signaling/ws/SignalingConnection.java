package io.telesignal.signaling.ws;

import io.netty.util.concurrent.ScheduledFuture;
import io.telesignal.core.DomainException;
import io.telesignal.core.auth.TokenRejectedException;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.Role;
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
    /** Its call signaling. */
    private final SignalRelay relay;

    SignalingConnection(SignalingFrontDoor door, WebSocketConnection connection) {
        this.door = door;
        this.connection = connection;
        this.remoteAddress = connection.remoteAddress().getAddress().getHostAddress();
        this.rate = door.rateLimits().open(connection.remoteAddress().getAddress());
        this.relay = new SignalRelay(door, connection);
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
        ConsultationService.Origin origin = new ConsultationService.Origin(s.endpoint().value(), remoteAddress);
        return request instanceof ClientMessage.Signal signal ? relay.relay(s, signal, origin)
                : door.requests().handle(s, request, origin);
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

}
