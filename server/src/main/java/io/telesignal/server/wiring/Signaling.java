package io.telesignal.server.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.telesignal.core.consultation.ConsultationPolicy;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.routing.InMemoryEndpointRegistry;
import io.telesignal.core.routing.LocalEndpoints;
import io.telesignal.core.routing.Router;
import io.telesignal.core.routing.SingleNodeLink;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.signaling.ws.SignalingFrontDoor;
import java.time.Clock;

/**
 * The single-node signaling stack: router with the in-memory endpoint registry and no node link, consultations
 * in memory, and the {@code /ws} front door. Cluster mode will swap the registry, link and store for Redis ones
 * here and nowhere else.
 */
public final class Signaling implements AutoCloseable {
    private final ConsultationService consultations;
    private final SignalingFrontDoor frontDoor;
    private final io.telesignal.signaling.rest.RestApi restApi;

    private final io.telesignal.core.chat.ChatService chat;
    private final java.util.concurrent.ScheduledExecutorService jobs;

    private Signaling(ConsultationService consultations, SignalingFrontDoor frontDoor,
            io.telesignal.signaling.rest.RestApi restApi, io.telesignal.core.chat.ChatService chat,
            java.util.concurrent.ScheduledExecutorService jobs) {
        this.chat = chat;
        this.jobs = jobs;
        this.consultations = consultations;
        this.frontDoor = frontDoor;
        this.restApi = restApi;
    }

    /** {@code /ws} and {@code /api/v1}. */
    public void register(io.telesignal.net.http.Routes routes) {
        frontDoor.register(routes);
        restApi.register(routes);
        new io.telesignal.signaling.web.StaticAssets().register(routes);
    }

    static Signaling start(ServerConfig config, StoreServices services, WorkerPool workers, MeterRegistry registry,
            Clock clock) {
        NodeId node = new NodeId(config.nodeId());
        Router router = new Router(node, new InMemoryEndpointRegistry(), new LocalEndpoints(), new SingleNodeLink());
        ConsultationService consultations = new ConsultationService(services.store().consultations(workers),
                new ConsultationPolicy(), services.audit(), router, clock, config.maxParticipants());
        io.telesignal.core.chat.ChatService chat = new io.telesignal.core.chat.ChatService(services.store().chat(),
                consultations, router, services.audit(), workers, clock, config.chatRetention());
        io.telesignal.core.invite.InviteService invites = new io.telesignal.core.invite.InviteService(services.tokens(),
                consultations, services.store().inviteRedemptions(), services.audit(), workers, clock, config.inviteTtl());
        io.telesignal.core.call.CallTracker calls = new io.telesignal.core.call.CallTracker(
                services.store().callRecords(), services.audit(), workers, clock);
        SignalingFrontDoor frontDoor = new SignalingFrontDoor(config.signaling(), services.tokens(), services.accounts(),
                workers, consultations, router, services.audit(), node, clock, new FrontDoorMetrics(registry, "websocket"),
                new io.telesignal.core.call.IceServers(config.ice().stunUrls(), config.ice().turnUrls(),
                        config.ice().turnSecret(), config.ice().turnTtl(), clock),
                new io.telesignal.core.sdp.SdpParser(config.sdpMaxBytes()),
                new io.telesignal.core.sdp.CodecPolicy(java.util.Set.copyOf(config.sdpCodecs())),
                chat, config.chatHistory(), invites, new io.telesignal.core.presence.PresenceService(
                        new io.telesignal.core.presence.InMemoryPresenceStore(), clock),
                calls);
        // retention: purge old chat every hour, on the worker pool like any other store work
        java.util.concurrent.ScheduledExecutorService jobs = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                runnable -> {
                    Thread thread = new Thread(runnable, "signaling-jobs");
                    thread.setDaemon(true);
                    return thread;
                });
        jobs.scheduleWithFixedDelay(() -> workers.submit(chat::purge).exceptionally(failure -> {
            org.slf4j.LoggerFactory.getLogger(Signaling.class).warn("event=chat_purge outcome=failed kind={}",
                    failure.getClass().getSimpleName());
            return 0;
        }), 1, 60, java.util.concurrent.TimeUnit.MINUTES);
        jobs.scheduleWithFixedDelay(() -> workers.submit(invites::purgeExpired).exceptionally(failure -> 0),
                5, 60, java.util.concurrent.TimeUnit.MINUTES);
        // attendance: nothing from before a restart is connected now; whoever does not come back in time is removed
        io.telesignal.core.consultation.Attendance attendance = new io.telesignal.core.consultation.Attendance(
                consultations, clock, config.consultations().rejoinGrace());
        attendance.recoverAfterRestart().thenCompose(changed -> calls.endAllAfterRestart()).toCompletableFuture()
                .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        long sweepMillis = Math.max(1000, Math.min(15_000, attendance.rejoinGrace().toMillis() / 4));
        jobs.scheduleWithFixedDelay(() -> attendance.sweep().exceptionally(failure -> {
            org.slf4j.LoggerFactory.getLogger(Signaling.class).warn("event=attendance_sweep outcome=failed kind={}",
                    failure.getClass().getSimpleName());
            return 0;
        }), sweepMillis, sweepMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return new Signaling(consultations, frontDoor, new io.telesignal.signaling.rest.RestApi(services.tokens(),
                services.accounts(), services.apiKeys(), consultations, workers, services.audit(), invites, clock,
                frontDoor.registry()), chat, jobs);
    }

    public ConsultationService consultations() {
        return consultations;
    }

    public SignalingFrontDoor frontDoor() {
        return frontDoor;
    }

    public io.telesignal.core.chat.ChatService chat() {
        return chat;
    }

    @Override
    public void close() {
        jobs.shutdownNow();
        frontDoor.close();
    }
}
