package io.telesignal.server.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.telesignal.core.call.CallTracker;
import io.telesignal.core.call.IceServers;
import io.telesignal.core.chat.ChatService;
import io.telesignal.core.consultation.Attendance;
import io.telesignal.core.consultation.ConsultationPolicy;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.consultation.ConsultationStore;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.invite.InviteService;
import io.telesignal.core.node.DeadNodeCleanup;
import io.telesignal.core.node.NodeWatch;
import io.telesignal.core.presence.InMemoryPresenceStore;
import io.telesignal.core.presence.PresenceService;
import io.telesignal.core.routing.InMemoryEndpointRegistry;
import io.telesignal.core.routing.LocalEndpoints;
import io.telesignal.core.routing.Router;
import io.telesignal.core.routing.SingleNodeLink;
import io.telesignal.core.sdp.CodecPolicy;
import io.telesignal.core.sdp.SdpParser;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.signaling.rest.RestApi;
import io.telesignal.signaling.ws.SignalingFrontDoor;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling stack: router, consultations, chat, invites, presence, calls and the {@code /ws} front door, with the
 * shared state of a single node (in memory) or of cluster mode (Redis, {@link ClusterMode}), chosen here and nowhere
 * else; and the jobs that keep it true: chat retention, expired invites, the away sweep, and in cluster mode the
 * heartbeat and the cleanup after dead nodes.
 */
public final class Signaling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Signaling.class);

    private final ConsultationService consultations;
    private final SignalingFrontDoor frontDoor;
    private final RestApi restApi;
    private final ChatService chat;
    private final ScheduledExecutorService jobs;
    private final Optional<ClusterMode> cluster;
    private final Optional<NodeWatch> nodeWatch;
    private final DeadNodeCleanup cleanup;
    private final NodeId node;

    /** Hashes passwords for sign-in, apart from the shared workers. */
    private final WorkerPool hashing;
    private final Router router;
    private final Optional<io.telesignal.xmpp.stream.SharedStreams> xmppStreams;

    private Signaling(ConsultationService consultations, SignalingFrontDoor frontDoor, RestApi restApi, ChatService chat,
            ScheduledExecutorService jobs, Optional<ClusterMode> cluster, Optional<NodeWatch> nodeWatch,
            DeadNodeCleanup cleanup, NodeId node, WorkerPool hashing, Router router,
            Optional<io.telesignal.xmpp.stream.SharedStreams> xmppStreams) {
        this.xmppStreams = xmppStreams;
        this.hashing = hashing;
        this.router = router;
        this.cleanup = cleanup;
        this.node = node;
        this.consultations = consultations;
        this.frontDoor = frontDoor;
        this.restApi = restApi;
        this.chat = chat;
        this.jobs = jobs;
        this.cluster = cluster;
        this.nodeWatch = nodeWatch;
    }

    /** {@code /ws} and {@code /api/v1}. */
    public void register(io.telesignal.net.http.Routes routes) {
        frontDoor.register(routes);
        restApi.register(routes);
        new io.telesignal.signaling.web.StaticAssets().register(routes);
    }

    /** @param drain what an operator's {@code POST /api/v1/node/drain} does: stop this node as SIGTERM would */
    static Signaling start(ServerConfig config, StoreServices services, WorkerPool workers, MeterRegistry registry,
            Clock clock, Runnable drain) {
        NodeId node = new NodeId(config.nodeId());
        Optional<ClusterMode> cluster = config.cluster().enabled()
                ? Optional.of(ClusterMode.connect(node, config.cluster().redis().orElseThrow()))
                : Optional.empty();
        try {
            return start(config, services, workers, registry, clock, node, cluster, drain);
        } catch (RuntimeException e) {
            cluster.ifPresent(ClusterMode::close);
            throw e;
        }
    }

    private static Signaling start(ServerConfig config, StoreServices services, WorkerPool workers,
            MeterRegistry registry, Clock clock, NodeId node, Optional<ClusterMode> cluster, Runnable drain) {
        Router router = new Router(node, cluster.map(ClusterMode::endpoints).orElseGet(InMemoryEndpointRegistry::new),
                new LocalEndpoints(), cluster.<io.telesignal.core.routing.NodeLink>map(ClusterMode::link)
                        .orElseGet(SingleNodeLink::new));
        cluster.ifPresent(c -> c.attach(router));
        ConsultationStore store = cluster.map(c -> c.consultations(services.store().sharedConsultations(workers)))
                .orElseGet(() -> services.store().consultations(workers));
        ConsultationService consultations = new ConsultationService(store, new ConsultationPolicy(), services.audit(),
                router, clock, config.maxParticipants());
        PresenceService presence = cluster.map(c -> new PresenceService(c.presence(), clock, c.presenceFeed()))
                .orElseGet(() -> new PresenceService(new InMemoryPresenceStore(), clock));
        ChatService chat = new ChatService(services.store().chat(), consultations, router, services.audit(), workers,
                clock, config.chatRetention());
        InviteService invites = new InviteService(services.tokens(), consultations, services.store().inviteRedemptions(),
                services.audit(), workers, clock, config.inviteTtl());
        // in cluster mode a call's two ends may be on two nodes: its open record in the store is its state
        CallTracker calls = new CallTracker(services.store().callRecords(), services.audit(), workers, clock,
                cluster.isPresent());
        java.util.concurrent.atomic.AtomicReference<NodeWatch> watching = new java.util.concurrent.atomic.AtomicReference<>();
        // failed sign-ins (passwords, tokens, API keys) counted by all nodes together in cluster mode
        var signIn = new io.telesignal.core.auth.SignInThrottle(cluster.map(ClusterMode::failureCounters)
                .orElseGet(() -> new io.telesignal.core.auth.InMemoryFailureCounters(SIGN_IN_KEYS)),
                config.signIn().throttle(), clock);
        SignalingFrontDoor frontDoor = new SignalingFrontDoor(config.signaling(),
                new io.telesignal.core.auth.TokenSignIn(services.tokens(), services.accounts(), signIn, services.audit(),
                        config.directory().credentialCacheTtl()),
                services.accounts(),
                workers, consultations, router, services.audit(), node, clock, new FrontDoorMetrics(registry, "websocket"),
                new IceServers(config.ice().stunUrls(), config.ice().turnUrls(), config.ice().turnSecret(),
                        config.ice().turnTtl(), clock),
                new SdpParser(config.sdpMaxBytes()), new CodecPolicy(Set.copyOf(config.sdpCodecs())), chat,
                config.chatHistory(), invites, presence, calls, cluster.map(c -> (java.util.function.Predicate<NodeId>)
                        other -> watching.get() != null && watching.get().isDown(other)),
                cluster.map(c -> c.sessions(config.signaling().sessions().rememberedRequests())));

        ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signaling-jobs");
            thread.setDaemon(true);
            return thread;
        });
        // retention: purge old chat every hour, on the worker pool like any other store work
        jobs.scheduleWithFixedDelay(() -> workers.submit(chat::purge).exceptionally(failure -> {
            LOG.warn("event=chat_purge outcome=failed kind={}", failure.getClass().getSimpleName());
            return 0;
        }), 1, 60, TimeUnit.MINUTES);
        jobs.scheduleWithFixedDelay(() -> workers.submit(invites::purgeExpired).exceptionally(failure -> 0),
                5, 60, TimeUnit.MINUTES);

        // XMPP's resumable streams copied to the same shared store, so that a dead node's unacknowledged messages go
        // offline instead of with it
        Optional<io.telesignal.xmpp.stream.SharedStreams> xmppStreams = cluster.filter(c -> config.xmpp().enabled())
                .map(c -> new io.telesignal.xmpp.stream.SharedStreams(
                        c.sessions(config.signaling().sessions().rememberedRequests()), node, services.store().offline(),
                        workers, router, config.xmpp().settings().maxOfflineMessages(),
                        config.xmpp().settings().domain()));
        try {
            Signaling started = recoverAndSchedule(config, services, workers, clock, node, cluster, router, consultations,
                    presence, chat, invites, calls, frontDoor, jobs, drain, xmppStreams);
            started.nodeWatch.ifPresent(watching::set);
            return started;
        } catch (RuntimeException e) {
            jobs.shutdownNow();
            frontDoor.close();
            throw e;
        }
    }

    /**
     * Where the web app is, for links the server hands out (invites): {@code http.publicUrl}, or else the scheme of
     * this listener and the Host the request came to.
     */
    private static java.util.function.Function<io.telesignal.net.http.HttpRequest, String> publicBase(ServerConfig config) {
        if (config.publicUrl().isPresent()) {
            String base = config.publicUrl().get();
            return request -> base;
        }
        String scheme = config.http().tls() ? "https://" : "http://";
        return request -> scheme + request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST, "localhost");
    }

    /** Logins and addresses whose failed sign-ins a node remembers at most. */
    private static final int SIGN_IN_KEYS = 100_000;

    private static Signaling recoverAndSchedule(ServerConfig config, StoreServices services, WorkerPool workers,
            Clock clock, NodeId node, Optional<ClusterMode> cluster, Router router, ConsultationService consultations,
            PresenceService presence, ChatService chat, InviteService invites, CallTracker calls,
            SignalingFrontDoor frontDoor, ScheduledExecutorService jobs, Runnable drain,
            Optional<io.telesignal.xmpp.stream.SharedStreams> xmppStreams) {
        Attendance attendance = new Attendance(consultations, clock, config.consultations().rejoinGrace());
        // each door gives up its own sessions of a dead node
        DeadNodeCleanup cleanup = new DeadNodeCleanup(router.registry(), presence, consultations, calls::endpointGone,
                (endpoint, dead) -> endpoint.door() == io.telesignal.core.identity.FrontDoor.XMPP && xmppStreams.isPresent()
                        ? xmppStreams.get().release(endpoint, dead) : frontDoor.releaseFromDeadNode(endpoint, dead));
        Optional<NodeWatch> nodeWatch = Optional.empty();
        if (cluster.isPresent()) {
            // a node that starts again under its id holds none of the connections it held before: clean them up now;
            // the others' endpoints and calls are theirs
            cleanup.cleanUp(node).toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
            ServerConfig.Cluster settings = config.cluster();
            // forgotten (Redis restarted empty, or the others took this node for dead while its clients stayed): put back
            // its endpoints, their presence, and their places in their consultations
            ClusterMode shared = cluster.get();
            NodeWatch watch = new NodeWatch(node, shared.nodes(), settings.nodeTimeout(), settings.cleanupGrace(),
                    cleanup::cleanUp, () -> {
                        shared.forgotten();
                        frontDoor.sharedSessionsLost();
                        return router.reregister().thenCompose(n -> frontDoor.republishPresence()
                                .thenCompose(done -> frontDoor.rejoinAll()).thenApply(rejoined -> n));
                    });
            watch.tick().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            beatEvery(jobs, watch, settings.heartbeatInterval().toMillis());
            nodeWatch = Optional.of(watch);
        } else {
            // a single node that starts again holds no connection from before: every endpoint listed is lost
            attendance.recoverAfterRestart().thenCompose(changed -> calls.endAllAfterRestart()).toCompletableFuture()
                    .orTimeout(30, TimeUnit.SECONDS).join();
        }
        // whoever does not come back in time is removed
        long sweepMillis = Math.max(1000, Math.min(15_000, attendance.rejoinGrace().toMillis() / 4));
        jobs.scheduleWithFixedDelay(() -> attendance.sweep().exceptionally(failure -> {
            LOG.warn("event=attendance_sweep outcome=failed kind={}", failure.getClass().getSimpleName());
            return 0;
        }), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);

        WorkerPool hashing = new WorkerPool("password-hashing", config.signIn().hashingThreads(),
                config.signIn().hashingQueue());
        return new Signaling(consultations, frontDoor, new RestApi(services.tokens(), services.accounts(),
                services.apiKeys(), consultations, workers, services.audit(), invites, clock, frontDoor.registry(),
                node.value(), drain, frontDoor.tokenSignIn(), hashing, services.devicePasswords(),
                publicBase(config)), chat,
                jobs, cluster, nodeWatch, cleanup, node, hashing, router, xmppStreams);
    }

    /**
     * The next tick is scheduled when the last one has finished, not at a fixed rate: with Redis slow, ticks never pile
     * up on top of each other.
     */
    private static void beatEvery(ScheduledExecutorService jobs, NodeWatch watch, long intervalMillis) {
        Runnable[] beat = new Runnable[1];
        beat[0] = () -> watch.tick().whenComplete((cleaned, failure) -> {
            try {
                jobs.schedule(beat[0], intervalMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the node is stopping: no more heartbeats
            }
        });
        jobs.schedule(beat[0], intervalMillis, TimeUnit.MILLISECONDS);
    }

    public ConsultationService consultations() {
        return consultations;
    }

    public SignalingFrontDoor frontDoor() {
        return frontDoor;
    }

    public ChatService chat() {
        return chat;
    }

    /** Whether the shared state is reachable: always in single-node mode; in cluster mode, as of the last heartbeat. */
    public boolean sharedStateReachable() {
        return nodeWatch.map(NodeWatch::registryReachable).orElse(true);
    }

    /** Whether this node takes another for down (silent past cluster.nodeTimeout); never in single-node mode. */
    public boolean nodeDown(NodeId other) {
        return nodeWatch.map(watch -> watch.isDown(other)).orElse(false);
    }

    /** Cluster mode's shared state, when on. */
    /** Where endpoints of every door are delivered to, on this node or another. */
    Router router() {
        return router;
    }

    Optional<ClusterMode> cluster() {
        return cluster;
    }

    /** XMPP's resumable streams in the shared store (cluster mode with XMPP on). */
    Optional<io.telesignal.xmpp.stream.SharedStreams> xmppStreams() {
        return xmppStreams;
    }

    public boolean clustered() {
        return cluster.isPresent();
    }

    /** How long a stopping node waits, once its clients are gone, for them to take their sessions up elsewhere. */
    static final java.time.Duration HAND_OVER = java.time.Duration.ofSeconds(5);

    /**
     * The node is stopping: every connected client is told to reconnect elsewhere and waited for, at most
     * {@code timeout}. In cluster mode they resume their sessions on the nodes they reach, which take them over from
     * this one; it waits for that too (at most {@link #HAND_OVER} more), then takes out what is left the way a dead
     * node's is (those users keep their places, away, and take them up from whichever node they reach next).
     */
    public void drain(java.time.Duration timeout) {
        frontDoor.drain();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frontDoor.anyConnected() && System.nanoTime() < deadline) {
            if (!pause()) {
                return;
            }
        }
        long handedOver = Math.min(deadline, System.nanoTime() + HAND_OVER.toNanos());
        while (cluster.isPresent() && frontDoor.sessions() > 0 && System.nanoTime() < handedOver) {
            if (!pause()) {
                return;
            }
        }
        cleanUpSelf();
    }

    private static boolean pause() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean cleanedUp;

    private synchronized void cleanUpSelf() {
        if (cluster.isEmpty() || cleanedUp) {
            return;
        }
        cleanedUp = true;
        try {
            cleanup.cleanUp(node).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("event=node_stop_cleanup outcome=failed node={} kind={}", node, e.getClass().getSimpleName());
        }
    }

    /**
     * Stops the jobs and ends every session. In cluster mode what this node still holds is first taken out the way a
     * dead node's is (after {@link #drain}, only sessions nobody took over), so that nobody waits for this node's
     * heartbeat to lapse; then it leaves the node registry.
     */
    @Override
    public void close() {
        jobs.shutdownNow();
        hashing.close();
        cleanUpSelf();
        frontDoor.close();
        cluster.ifPresent(ClusterMode::close);
    }
}
