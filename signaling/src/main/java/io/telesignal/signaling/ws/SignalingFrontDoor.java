package io.telesignal.signaling.ws;

import io.telesignal.core.DomainException;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationException;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.Router;
import io.telesignal.core.work.Failures;
import io.telesignal.core.work.Retries;
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
import java.util.List;
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
    private final io.telesignal.core.auth.TokenSignIn tokenSignIn;
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
    /** The requests sessions make other than signals; stateless, shared by the connections. */
    private final SessionRequests requests = new SessionRequests(this);
    private final io.telesignal.core.sdp.SdpParser sdp;
    private final io.telesignal.core.sdp.CodecPolicy codecs;
    private final io.telesignal.core.chat.ChatService chat;
    private final int historyOnJoin;
    private final io.telesignal.core.invite.InviteService invites;
    private final PresenceWatch presence;
    private final io.telesignal.core.call.CallTracker calls;
    private final SessionRegistry registry;
    private final Optional<io.telesignal.core.session.SharedSessions> shared;
    private final RateLimits rateLimits;
    private final ScheduledExecutorService sweeper;
    /**
     * Leaves at session end and take-ups of claimed sessions, tried again on the sweeper when they fail for a
     * passing reason: after 0.2, 0.4, 0.8, 1.6 and 3 s, six attempts over about 6 s.
     */
    private final Retries settling;
    static final int SETTLE_ATTEMPTS = 6;
    private volatile boolean stopping;
    /** Whether another node of the cluster is down (silent past its timeout); empty for a single node. */
    private final Optional<java.util.function.Predicate<NodeId>> nodeDown;

    /** @param shared cluster mode's shared sessions, which sessions are mirrored to and claimed from */
    public SignalingFrontDoor(SignalingSettings settings, io.telesignal.core.auth.TokenSignIn tokenSignIn, Accounts accounts,
            WorkerPool workers,
            ConsultationService consultations, Router router, AuditTrail audit, NodeId node, Clock clock,
            FrontDoorMetrics metrics, io.telesignal.core.call.IceServers iceServers,
            io.telesignal.core.sdp.SdpParser sdp, io.telesignal.core.sdp.CodecPolicy codecs,
            io.telesignal.core.chat.ChatService chat, int historyOnJoin, io.telesignal.core.invite.InviteService invites,
            io.telesignal.core.presence.PresenceService presence, io.telesignal.core.call.CallTracker calls,
            Optional<java.util.function.Predicate<NodeId>> nodeDown,
            Optional<io.telesignal.core.session.SharedSessions> shared) {
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
        this.tokenSignIn = tokenSignIn;
        this.accounts = accounts;
        this.workers = workers;
        this.consultations = consultations;
        this.router = router;
        this.audit = audit;
        this.node = node;
        this.clock = clock;
        this.metrics = metrics;
        io.telesignal.signaling.session.SessionSettings limits = settings.sessions();
        this.shared = shared;
        this.registry = new SessionRegistry(limits, codec, Views::event, clock, this::ended,
                shared.map(store -> new io.telesignal.signaling.session.SessionMirror(store, node,
                        new io.telesignal.core.session.SharedSessions.Limits(limits.bufferMessages(),
                                limits.bufferBytes() / 2, limits.rememberedRequests()), this::lost)),
                this::moved, this::claimed);
        shared.ifPresent(store -> {
            store.listen(node, registry::lost);
            router.fallback(this::deposit);
        });
        this.rateLimits = new RateLimits(settings.rateLimits(), clock);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ws-session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        this.settling = new Retries(sweeper, SETTLE_ATTEMPTS, java.time.Duration.ofMillis(200),
                java.time.Duration.ofSeconds(3));
    }

    /** The presence every door shares: a registered SIP phone publishes into it, web watchers hear it. */
    public io.telesignal.core.presence.PresenceService presenceService() {
        return presence.service();
    }

    /** How tokens sign in here; the REST API shares it (one throttle for every door). */
    public io.telesignal.core.auth.TokenSignIn tokenSignIn() {
        return tokenSignIn;
    }

    public void register(Routes routes) {
        routes.webSocket(new WebSocketRoute(PATH, SUBPROTOCOL, settings.webSocket(), this, metrics));
    }

    @Override
    public WebSocketHandler open(WebSocketConnection connection, HttpRequest upgrade) {
        return new SignalingConnection(this, connection);
    }

    /**
     * Who a token names, checked against the directory, with the address's throttle ({@link
     * io.telesignal.core.auth.TokenSignIn}). Blocking: call on the worker pool.
     */
    Actor authenticate(String token, String remoteAddress) {
        User user;
        try {
            user = tokenSignIn.authenticate(token, remoteAddress);
        } catch (io.telesignal.core.auth.TokenSignIn.Refused refused) {
            int close = switch (refused.code()) {
                case "too_many_attempts" -> CloseCode.RATE_LIMITED;
                case "account_disabled" -> CloseCode.FORBIDDEN;
                default -> CloseCode.UNAUTHORIZED;
            };
            throw new AuthenticationRefused(refused.code(), refused.getMessage(), close);
        }
        return new Actor(user.id(), user.displayName(), user.roles());
    }

    private void ended(SignalingSession session) {
        calls.endpointGone(session.endpoint());
        offerAnswer.forget(session.endpoint().value());
        presence.ended(session);
        router.disconnect(session.endpoint());
        // when the server is going away, not the user, they keep their place in their consultations and take it up
        // again from their next connection (the next start, or another node, finds the endpoint lost)
        for (ConsultationId consultation : stopping ? java.util.Set.<ConsultationId>of() : session.consultations()) {
            // not dropped when the workers are busy (a mass disconnect) or the consultation keeps changing: the
            // endpoint would stay in the waiting room or the call until its consultation ends
            settling.run(() -> consultations.leave(session.actor(), consultation, session.endpoint(),
                    new ConsultationService.Origin(session.endpoint().value(), null)), SignalingFrontDoor::passing)
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

    /** A mirror found that another node took the session over. */
    private void lost(SignalingSession session) {
        registry.lost(session);
    }

    /** A session another node took over is gone from here: its endpoint is that node's now; nothing ends. */
    private void moved(SignalingSession session) {
        router.release(session.endpoint());
        presence.moved(session);
        offerAnswer.forget(session.endpoint().value());
        LOG.info("event=ws_session_moved session={} user={}", session.id(), session.actor().user());
    }

    /**
     * A session claimed here from the store (its node died, or its client moved): its endpoint is this node's from now
     * on, at once, so that deliveries come here rather than to a deposit.
     */
    private void claimed(SignalingSession session) {
        router.connect(new io.telesignal.core.routing.Endpoint(session.endpoint(), session.actor().user(),
                io.telesignal.core.identity.FrontDoor.WEBSOCKET, node, null, clock.instant()), sinkFor(session));
        // the offers it received were checked on the node it came from: its answers to them go unchecked here
        offerAnswer.unknown(session.endpoint().value());
    }

    /**
     * Once a claimed session's client is attached: its presence and watches as they were, and its place in its
     * consultations taken up again (the cleanup of its dead node may have taken it out).
     */
    void takeUp(SignalingSession session) {
        presence.claimed(session);
        for (ConsultationId consultation : List.copyOf(session.consultations())) {
            settling.run(() -> consultations.join(session.actor(), consultation, session.endpoint(), Optional.empty(),
                    new ConsultationService.Origin(session.endpoint().value(), null)), SignalingFrontDoor::passing)
                    .exceptionally(failure -> {
                        leaveFailed(session, consultation, failure);
                        return null;
                    });
        }
        audit.record(AuditEvent.of("session.resumed", session.actor().user().value(), Outcome.OK)
                .endpoint(session.endpoint().value()).reason("claimed"));
    }

    /**
     * An event for a WebSocket endpoint whose node cannot be reached: kept in its session's stream in the store,
     * numbered there, for its client to have when it resumes on any node.
     */
    private java.util.concurrent.CompletionStage<io.telesignal.core.routing.DeliveryOutcome> deposit(
            io.telesignal.core.routing.Endpoint endpoint, io.telesignal.core.routing.CoreEvent event) {
        Optional<String> session = SessionRegistry.sessionOf(endpoint.id());
        Optional<io.telesignal.signaling.protocol.ServerMessage> message = Views.event(event);
        if (session.isEmpty() || shared.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    io.telesignal.core.routing.DeliveryOutcome.NODE_UNREACHABLE);
        }
        if (message.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    io.telesignal.core.routing.DeliveryOutcome.DELIVERED);
        }
        String prefix = codec.unnumbered(message.get()); // the store numbers it
        io.telesignal.signaling.session.SessionSettings limits = settings.sessions();
        // Redis counts UTF-8 bytes, a session's buffer two per character: half the bytes there fit here on any text
        return shared.get().deposit(session.get(), endpoint.node(), prefix, "}", SignalingSession.deliveryId(event),
                new io.telesignal.core.session.SharedSessions.Limits(limits.bufferMessages(), limits.bufferBytes() / 2,
                        limits.rememberedRequests())).thenApply(deposited -> {
                            if (deposited.refused().isEmpty()) {
                                LOG.debug("event=ws_deposit session={} seq={} node={}", session.get(), deposited.seq(),
                                        endpoint.node());
                                return io.telesignal.core.routing.DeliveryOutcome.DELIVERED;
                            }
                            return switch (deposited.refused().get()) {
                                case DUPLICATE -> io.telesignal.core.routing.DeliveryOutcome.DELIVERED;
                                case OVERFLOWED -> io.telesignal.core.routing.DeliveryOutcome.REFUSED;
                                case MISSING, MOVED -> io.telesignal.core.routing.DeliveryOutcome.NOT_CONNECTED;
                            };
                        });
    }

    /**
     * For the cleanup after a dead node: its WebSocket session goes from the store unless another node claimed it;
     * answers false when one did (the endpoint is that node's now).
     */
    public java.util.concurrent.CompletionStage<Boolean> releaseFromDeadNode(io.telesignal.core.routing.Endpoint endpoint,
            NodeId dead) {
        Optional<String> session = SessionRegistry.sessionOf(endpoint.id());
        if (session.isEmpty() || shared.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(true);
        }
        return shared.get().end(session.get(), Optional.of(dead))
                .thenApply(ended -> ended != io.telesignal.core.session.SharedSessions.Ended.HELD_ELSEWHERE);
    }

    /** The store restarted empty: every session of this node is written there again. */
    public void sharedSessionsLost() {
        registry.storeLost();
    }

    /**
     * A failure worth another attempt at a leave or a take-up: the worker pool was full, or the consultation kept
     * changing under the transition.
     */
    static boolean passing(Throwable failure) {
        return Retries.busy(failure) || Failures.cause(failure) instanceof ConsultationException ce
                && ce.reason() == ConsultationException.Reason.CONFLICT;
    }

    /**
     * A leave at session end that failed (after its retries): expected when the consultation ended or the user was
     * denied or removed meanwhile (logged at debug), worth a warning otherwise (the attendance may be stale until it
     * is cleaned).
     */
    static void leaveFailed(SignalingSession session, ConsultationId consultation, Throwable failure) {
        Throwable cause = Failures.cause(failure);
        if (cause instanceof ConsultationException ce
                && ce.reason() != ConsultationException.Reason.CONFLICT) {
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
            registry.resync();
            rateLimits.evictIdle();
        } catch (RuntimeException e) {
            Failures.unexpected(LOG, "event=ws_session_sweep outcome=error", e);
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
        if (type.equals("offer")) {
            lastParsed.set(new Parsed(text, parsed)); // checked: its receiver here remembers it (received)
        }
    }

    /**
     * The description this thread parsed last, by the identity of its text: a signal relayed to a session of this
     * node is handed to it on the thread that checked it, with the very same String, and need not be parsed again.
     * A text from another node (or any other object) is parsed. Only an offer that passed its checks is held, until
     * its receiver takes it or this thread checks the next offer (one relayed to another node is not taken here).
     */
    private record Parsed(String text, io.telesignal.core.sdp.SessionDescription description) {}

    private final ThreadLocal<Parsed> lastParsed = new ThreadLocal<>();

    /**
     * What a session of this node is sent, on its way in: an offer is remembered here, where its recipient's answer
     * will be checked, whichever node it came from (a description was checked where it was sent, so it parses).
     */
    final io.telesignal.core.routing.EndpointSink sinkFor(SignalingSession session) {
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
            Parsed last = lastParsed.get();
            lastParsed.set(null); // held no longer than the relay (an SDP may identify a patient)
            try {
                parsed = last != null && last.text() == d.sdp() ? last.description() : sdp.parse(d.sdp());
            } catch (io.telesignal.core.sdp.SdpException e) {
                // checked where it was sent; should another node's version disagree, its answer is refused here
                LOG.warn("event=sdp_received outcome=unparsable endpoint={} code={}", session.endpoint(), e.code());
                return;
            }
        }
        offerAnswer.received(signal.consultation().value(), signal.fromEndpoint().value(), session.endpoint().value(),
                d.type(), parsed);
    }

    /** The event loop of the connection a WebSocket endpoint of this node has attached now, if any. */
    Optional<io.netty.channel.EventLoop> loopOf(io.telesignal.core.identity.EndpointId endpoint) {
        return SessionRegistry.sessionOf(endpoint).flatMap(registry::find).flatMap(SignalingSession::outlet)
                .filter(SignalingConnection.class::isInstance).map(o -> ((SignalingConnection) o).eventLoop());
    }

    SessionRequests requests() {
        return requests;
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
            for (ConsultationId consultation : List.copyOf(session.consultations())) {
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
