package io.telesignal.signaling.ws;

import io.telesignal.core.DomainException;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.auth.AccessToken;
import io.telesignal.core.auth.TokenRejectedException;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.Router;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.Routes;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.websocket.WebSocketConnection;
import io.telesignal.net.websocket.WebSocketEndpoint;
import io.telesignal.net.websocket.WebSocketHandler;
import io.telesignal.net.websocket.WebSocketRoute;
import io.telesignal.signaling.protocol.ProtocolCodec;
import io.telesignal.signaling.session.SessionRegistry;
import io.telesignal.signaling.session.SignalingSession;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} front door: registers the WebSocket route (subprotocol {@code telesignal.v1}), owns the session
 * registry and its expiry sweep, authenticates hellos, and cleans up after sessions that end (leaves their
 * consultations, unregisters their endpoint, audits it).
 */
public final class SignalingFrontDoor implements WebSocketEndpoint, AutoCloseable {
    public static final String PATH = "/ws";
    public static final String SUBPROTOCOL = "telesignal.v1";
    private static final Logger LOG = LoggerFactory.getLogger(SignalingFrontDoor.class);

    private final SignalingSettings settings;
    private final TokenService tokens;
    private final Accounts accounts;
    private final WorkerPool workers;
    private final ConsultationService consultations;
    private final Router router;
    private final AuditTrail audit;
    private final NodeId node;
    private final Clock clock;
    private final FrontDoorMetrics metrics;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final io.telesignal.core.call.IceServers iceServers;
    private final io.telesignal.core.sdp.SdpParser sdp;
    private final io.telesignal.core.sdp.CodecPolicy codecs;
    private final io.telesignal.core.chat.ChatService chat;
    private final int historyOnJoin;
    private final io.telesignal.core.invite.InviteService invites;
    private final PresenceWatch presence;
    private final io.telesignal.core.call.CallTracker calls;
    private final SessionRegistry registry;
    private final RateLimits rateLimits;
    private final ScheduledExecutorService sweeper;
    private volatile boolean stopping;
    /** Whether another node of the cluster is down (silent past its timeout); empty for a single node. */
    private final Optional<java.util.function.Predicate<NodeId>> nodeDown;

    public SignalingFrontDoor(SignalingSettings settings, TokenService tokens, Accounts accounts, WorkerPool workers,
            ConsultationService consultations, Router router, AuditTrail audit, NodeId node, Clock clock,
            FrontDoorMetrics metrics, io.telesignal.core.call.IceServers iceServers,
            io.telesignal.core.sdp.SdpParser sdp, io.telesignal.core.sdp.CodecPolicy codecs,
            io.telesignal.core.chat.ChatService chat, int historyOnJoin, io.telesignal.core.invite.InviteService invites,
            io.telesignal.core.presence.PresenceService presence, io.telesignal.core.call.CallTracker calls,
            Optional<java.util.function.Predicate<NodeId>> nodeDown) {
        this.nodeDown = nodeDown;
        this.calls = calls;
        this.invites = invites;
        this.presence = new PresenceWatch(presence, accounts, consultations, workers);
        this.chat = chat;
        this.historyOnJoin = historyOnJoin;
        this.iceServers = iceServers;
        this.sdp = sdp;
        this.codecs = codecs;
        this.settings = settings;
        this.tokens = tokens;
        this.accounts = accounts;
        this.workers = workers;
        this.consultations = consultations;
        this.router = router;
        this.audit = audit;
        this.node = node;
        this.clock = clock;
        this.metrics = metrics;
        this.registry = new SessionRegistry(settings.sessions(), codec, Views::event, clock, this::ended);
        this.rateLimits = new RateLimits(settings.rateLimits(), clock);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ws-session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public void register(Routes routes) {
        routes.webSocket(new WebSocketRoute(PATH, SUBPROTOCOL, settings.webSocket(), this, metrics));
    }

    @Override
    public WebSocketHandler open(WebSocketConnection connection, HttpRequest upgrade) {
        return new SignalingConnection(this, connection);
    }

    /** Who a token names, checked against the directory. Blocking: call on the worker pool. */
    Actor authenticate(String token, String remoteAddress) {
        AccessToken access;
        try {
            access = tokens.verify(token);
        } catch (TokenRejectedException e) {
            audit.recordNow(AuditEvent.of("auth.token", "unknown", Outcome.FAILED).remoteAddress(remoteAddress)
                    .reason(e.code()));
            throw e;
        }
        Optional<User> user = access.external() ? accounts.find(new Login(access.subject()))
                : accounts.find(new UserId(access.subject()));
        if (user.isEmpty()) {
            audit.recordNow(AuditEvent.of("auth.token", "unknown", Outcome.FAILED).remoteAddress(remoteAddress)
                    .reason("unknown_user"));
            throw new AuthenticationRefused("unknown_user", "the token names no user", CloseCode.UNAUTHORIZED);
        }
        if (!user.get().enabled()) {
            audit.recordNow(AuditEvent.of("auth.token", user.get().id().value(), Outcome.DENIED)
                    .remoteAddress(remoteAddress).reason("account_disabled"));
            throw new AuthenticationRefused("account_disabled", "the account is disabled", CloseCode.FORBIDDEN);
        }
        return new Actor(user.get().id(), user.get().displayName(), user.get().roles());
    }

    private void ended(SignalingSession session) {
        calls.endpointGone(session.endpoint());
        offerAnswer.forget(session.endpoint().value());
        presence.ended(session);
        router.disconnect(session.endpoint());
        // when the server is going away, not the user, they keep their place in their consultations and take it up
        // again from their next connection (the next start, or another node, finds the endpoint lost)
        for (ConsultationId consultation : stopping ? java.util.Set.<ConsultationId>of() : session.consultations()) {
            consultations.leave(session.actor(), consultation, session.endpoint(),
                    new ConsultationService.Origin(session.endpoint().value(), null))
                    .exceptionally(failure -> {
                        leaveFailed(session, consultation, failure);
                        return null;
                    });
        }
        // a failure to record is logged by the audit trail; the session is over either way
        audit.record(AuditEvent.of("session.ended", session.actor().user().value(), Outcome.OK)
                .endpoint(session.endpoint().value()).reason(stopping ? "server_stopping" : null));
        LOG.info("event=ws_session_ended session={} user={}{}", session.id(), session.actor().user(),
                stopping ? " reason=server_stopping" : "");
    }

    /**
     * A leave at session end that failed: expected when the consultation ended or the user was denied or removed
     * meanwhile (logged at debug), worth a warning otherwise (the attendance may be stale until it is cleaned).
     */
    static void leaveFailed(SignalingSession session, ConsultationId consultation, Throwable failure) {
        Throwable cause = io.telesignal.core.work.Failures.cause(failure);
        if (cause instanceof io.telesignal.core.consultation.ConsultationException ce
                && ce.reason() != io.telesignal.core.consultation.ConsultationException.Reason.CONFLICT) {
            LOG.debug("event=ws_session_leave outcome=moot session={} consultation={} code={}", session.id(),
                    consultation, ce.code());
            return;
        }
        LOG.warn("event=ws_session_leave outcome=failed session={} consultation={} code={}", session.id(), consultation,
                cause instanceof DomainException domain ? domain.code() : cause.getClass().getSimpleName());
    }

    private void sweep() {
        try {
            registry.expire();
            rateLimits.evictIdle();
        } catch (RuntimeException e) {
            LOG.error("event=ws_session_sweep outcome=error", e);
        }
    }

    private final io.telesignal.core.sdp.OfferAnswer offerAnswer = new io.telesignal.core.sdp.OfferAnswer();

    /**
     * Parses a session description (unless a rollback), checks it against the codec policy and RFC 3264
     * offer/answer with the peer; throws SdpException when refused.
     */
    void checkDescription(String consultation, String from, String to, String type, String text) {
        io.telesignal.core.sdp.SessionDescription parsed = null;
        if (!type.equals("rollback")) {
            parsed = sdp.parse(text);
            codecs.check(parsed);
        }
        offerAnswer.sent(consultation, from, to, type, parsed);
    }

    /**
     * What a session of this node is sent, on its way in: an offer is remembered here, where its recipient's answer
     * will be checked, whichever node it came from (a description was checked where it was sent, so it parses).
     */
    io.telesignal.core.routing.EndpointSink sinkFor(SignalingSession session) {
        return event -> {
            if (event instanceof io.telesignal.core.call.CallSignal signal && signal.description() != null) {
                received(signal, session);
            }
            return session.offer(event);
        };
    }

    private void received(io.telesignal.core.call.CallSignal signal, SignalingSession session) {
        io.telesignal.core.call.CallSignal.Description d = signal.description();
        io.telesignal.core.sdp.SessionDescription parsed = null;
        if (d.type().equals("offer")) {
            try {
                parsed = sdp.parse(d.sdp());
            } catch (io.telesignal.core.sdp.SdpException e) {
                // checked where it was sent; should another node's version disagree, its answer is refused here
                LOG.warn("event=sdp_received outcome=unparsable endpoint={} code={}", session.endpoint(), e.code());
                return;
            }
        }
        offerAnswer.received(signal.consultation().value(), signal.fromEndpoint().value(), session.endpoint().value(),
                d.type(), parsed);
    }

    io.telesignal.core.call.IceServers iceServers() {
        return iceServers;
    }

    SignalingSettings settings() {
        return settings;
    }

    ProtocolCodec codec() {
        return codec;
    }

    io.telesignal.core.chat.ChatService chat() {
        return chat;
    }

    io.telesignal.core.call.CallTracker calls() {
        return calls;
    }

    PresenceWatch presence() {
        return presence;
    }

    io.telesignal.core.invite.InviteService invites() {
        return invites;
    }

    int historyOnJoin() {
        return historyOnJoin;
    }

    RateLimits rateLimits() {
        return rateLimits;
    }

    /**
     * Joins every session of this node to its consultations again: the others took this node for dead and took its
     * endpoints out of them (their users are away there) while the clients stayed connected. Answers how many joins
     * succeeded; one refused now (the consultation ended, the user was removed) is left to the events that say so.
     */
    public java.util.concurrent.CompletionStage<Integer> rejoinAll() {
        java.util.List<java.util.concurrent.CompletableFuture<Boolean>> joins = new java.util.ArrayList<>();
        for (SignalingSession session : registry.list(Optional.empty())) {
            for (ConsultationId consultation : java.util.List.copyOf(session.consultations())) {
                joins.add(consultations.join(session.actor(), consultation, session.endpoint(), Optional.empty(),
                        new ConsultationService.Origin(session.endpoint().value(), null))
                        .handle((joined, failure) -> failure == null).toCompletableFuture());
            }
        }
        return java.util.concurrent.CompletableFuture.allOf(joins.toArray(java.util.concurrent.CompletableFuture[]::new))
                .thenApply(done -> (int) joins.stream().filter(java.util.concurrent.CompletableFuture::join).count());
    }

    /**
     * Before a user joins from a new session: their endpoints in this consultation that a node now down held are lost
     * at once (their sessions died with it and cannot be resumed), instead of at that node's cleanup, so that nobody
     * goes on calling them. Failures are left to the cleanup.
     */
    java.util.concurrent.CompletionStage<Void> dropEndpointsOnDownNodes(UserId user, ConsultationId consultation) {
        if (nodeDown.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null); // one node: nothing else can be down
        }
        java.util.function.Predicate<NodeId> down = nodeDown.get();
        return router.endpointsOf(user).thenCompose(endpoints -> {
            java.util.Set<io.telesignal.core.identity.EndpointId> gone = new java.util.HashSet<>();
            for (io.telesignal.core.routing.Endpoint endpoint : endpoints) {
                if (!endpoint.node().equals(node) && down.test(endpoint.node())) {
                    gone.add(endpoint.id());
                }
            }
            if (gone.isEmpty()) {
                return java.util.concurrent.CompletableFuture.<Void>completedFuture(null);
            }
            gone.forEach(calls::endpointGone);
            return consultations.endpointsLost(consultation, gone).<Void>thenApply(updated -> null);
        }).exceptionally(failure -> null);
    }

    /** Sets the presence of every session of this node again: the shared presence store lost it. */
    public java.util.concurrent.CompletionStage<Void> republishPresence() {
        return presence.republish();
    }

    /** This node's sessions (the REST API lists, disconnects and ends them). */
    public SessionRegistry registry() {
        return registry;
    }

    WorkerPool workers() {
        return workers;
    }

    ConsultationService consultations() {
        return consultations;
    }

    Router router() {
        return router;
    }

    AuditTrail audit() {
        return audit;
    }

    NodeId node() {
        return node;
    }

    Clock clock() {
        return clock;
    }

    public int sessions() {
        return registry.size();
    }

    /**
     * The node is going away: every connected client is told to {@code reconnect} and its connection closed with 1012,
     * so that it reconnects at once, through the load balancer, to another node; users keep their places in their
     * consultations. Answers how many were told.
     */
    public int drain() {
        stopping = true;
        int told = 0;
        for (SignalingSession session : registry.list(Optional.empty())) {
            if (session.detachedSince().isEmpty()) {
                session.send(new io.telesignal.signaling.protocol.ServerMessage.Reconnect("node_draining"));
                if (registry.disconnect(session, 1012, "node draining: reconnect")) {
                    told++;
                }
            }
        }
        LOG.info("event=ws_drain sessions={}", told);
        return told;
    }

    /** Whether any client is still connected to this node. */
    public boolean anyConnected() {
        return registry.list(Optional.empty()).stream().anyMatch(s -> s.detachedSince().isEmpty());
    }

    /**
     * Stops the sweep and ends every session (server shutdown): clients still connected are closed with 1001 and
     * reconnect; their users keep their places in their consultations.
     */
    @Override
    public void close() {
        stopping = true;
        sweeper.shutdownNow();
        registry.endAll();
    }
}
