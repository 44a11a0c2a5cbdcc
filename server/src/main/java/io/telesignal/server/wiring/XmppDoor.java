package io.telesignal.server.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.transport.EventLoops;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.xmpp.sasl.DeviceSignIn;
import io.telesignal.xmpp.stream.C2sSession;
import io.telesignal.xmpp.stream.StanzaRouter;
import io.telesignal.xmpp.transport.XmppTcpTransport;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * The XMPP front door on the server's event loops: its listeners (5222 with STARTTLS, 5223 with direct TLS), sign-in
 * with device passwords, and its resources as core endpoints, so that a stanza reaches a resource on any node.
 */
public final class XmppDoor implements AutoCloseable {
    private final XmppTcpTransport tcp;
    private final Optional<XmppTcpTransport> directTls;
    private InetSocketAddress tcpAddress;
    private InetSocketAddress directTlsAddress;
    private java.util.concurrent.ScheduledFuture<?> purge;
    private final FrontDoorMetrics metrics;
    private final C2sSession.Context context;
    private final Optional<io.telesignal.xmpp.component.ComponentListener> components;
    private InetSocketAddress componentAddress;

    private XmppDoor(ServerConfig config, StoreServices services, Signaling signaling, WorkerPool workers, Clock clock,
            SslContext tls, MeterRegistry registry, int httpPort) {
        ServerConfig.Xmpp settings = config.xmpp();
        DeviceSignIn signIn = new DeviceSignIn(services.accounts(), services.devicePasswords(),
                signaling.frontDoor().tokenSignIn().throttle(), services.audit(),
                services.derivedSecret("xmpp-scram-salt"), signaling.frontDoor().tokenSignIn());
        StanzaRouter router = new StanzaRouter(signaling.router(), services.accounts(), workers,
                settings.settings().maxSessionsPerUser(), clock, config.directory().credentialCacheTtl());
        services.accounts().onChange(changed -> router.forget(changed.login())); // disabled here: unknown at once
        signaling.xmppStreams().ifPresent(streams -> router.orphans(streams::release));
        var blocking = new io.telesignal.xmpp.im.Blocking(services.store().blocking(), workers, settings.maxBlockedJids());
        var rosters = new io.telesignal.xmpp.im.RosterService(services.store().rosters(), router,
                settings.settings().domain(), settings.maxRosterItems(), router::findUser, blocking::blocks);
        C2sSession.Context context = new C2sSession.Context(settings.settings(), signIn, router,
                signaling.frontDoor().presenceService(), workers, new SecureRandom(), rosters, services.store().offline(),
                new io.telesignal.xmpp.im.CorePresence(signaling.frontDoor().presenceService()),
                settings.archive() ? Optional.of(new io.telesignal.xmpp.im.MessageArchive(services.store().archive(), workers,
                        clock, (owner, with) -> services.store().rosters().find(owner, with).isPresent(),
                        config.directory().credentialCacheTtl())) : Optional.empty(),
                new io.telesignal.xmpp.im.ExternalServices(new io.telesignal.core.call.IceServers(config.ice().stunUrls(),
                        config.ice().turnUrls(), config.ice().turnSecret(), config.ice().turnTtl(), clock),
                        config.ice().turnTtl(), clock),
                new java.util.concurrent.ConcurrentHashMap<>(),
                settings.muc().map(muc -> new io.telesignal.xmpp.muc.MucService(muc, services.store().rooms(),
                        signaling.cluster().map(ClusterMode::occupants)
                                .orElseGet(io.telesignal.core.groupchat.InMemoryOccupants::new),
                        router, workers, clock, settings.settings().domain(), services.accounts()::find)),
                settings.pep().map(pep -> new io.telesignal.xmpp.pep.PepService(pep, services.store().pep(), router,
                        rosters, workers, clock, settings.settings().domain(), new SecureRandom(), blocking)),
                blocking, signaling.xmppStreams(), settings.components().map(components ->
                        new io.telesignal.xmpp.component.Components(components, signaling.router(), clock)),
                settings.upload().map(upload -> new io.telesignal.xmpp.upload.UploadService(upload,
                        services.store().uploads(), workers, clock, new SecureRandom(), () -> config.publicUrl().orElse(
                                (config.http().tls() ? "https://" : "http://") + settings.settings().domain() + ":"
                                        + httpPort), services.derivedSecret("xmpp-upload-put"))),
                new io.telesignal.core.work.Lanes<>(workers, config.workers().queue()));
        // one set of meters for the door: a second FrontDoorMetrics with the same tag would never move
        this.metrics = new FrontDoorMetrics(registry, "xmpp");
        this.context = context;
        this.tcp = new XmppTcpTransport(false, tls, context, metrics, settings.idleTimeout(), settings.maxConnections());
        this.directTls = settings.directTls() ? Optional.of(new XmppTcpTransport(true, tls, context, metrics,
                settings.idleTimeout(), settings.maxConnections())) : Optional.empty();
        this.components = context.components().map(components -> new io.telesignal.xmpp.component.ComponentListener(
                context, components, signaling.frontDoor().tokenSignIn().throttle(), services.audit()));
    }

    static XmppDoor start(ServerConfig config, EventLoops loops, StoreServices services, Signaling signaling,
            WorkerPool workers, Clock clock, SslContext tls, MeterRegistry registry, io.telesignal.net.http.Routes routes,
            int httpPort) {
        ServerConfig.Xmpp settings = config.xmpp();
        XmppDoor started = new XmppDoor(config, services, signaling, workers, clock, tls, registry, httpPort);
        started.context.upload().ifPresent(upload -> {
            // XEP-0363 §5: files are put and read on the HTTP listener, up to the largest file a slot allows
            String files = io.telesignal.xmpp.upload.UploadService.PATH + "*";
            routes.add(io.netty.handler.codec.http.HttpMethod.PUT, files,
                    (int) Math.min(Integer.MAX_VALUE, upload.settings().maxFileSize()), upload::admit, upload::put);
            routes.get(files, upload::get);
            routes.add(io.netty.handler.codec.http.HttpMethod.OPTIONS, files, upload::options);
        });
        if (settings.webSocket()) {
            // RFC 7395 at /xmpp on the HTTP listener: WSS when it is HTTPS
            routes.webSocket(new io.telesignal.net.websocket.WebSocketRoute("/xmpp", "xmpp",
                    new io.telesignal.net.websocket.WebSocketSettings(settings.settings().maxStanzaBytes(),
                            java.time.Duration.ofSeconds(30), settings.idleTimeout()),
                    new io.telesignal.xmpp.transport.XmppWebSocketEndpoint(started.context, config.http().tls()),
                    started.metrics));
        }
        try {
            started.tcpAddress = started.tcp.bind(loops, settings.host(), settings.port());
            // kept and archived messages past their retention are deleted, hourly, on the workers
            var offline = services.store().offline();
            var archive = services.store().archive();
            var upload = started.context.upload();
            started.purge = loops.io().next().scheduleAtFixedRate(() -> workers.submit(() -> offline.purgeBefore(
                    clock.instant().minus(settings.offlineRetention())) + archive.purgeBefore(
                    clock.instant().minus(settings.archiveRetention()))
                    + upload.map(io.telesignal.xmpp.upload.UploadService::purge).orElse(0)), 1, 60,
                    java.util.concurrent.TimeUnit.MINUTES);
            if (started.directTls.isPresent()) {
                started.directTlsAddress = started.directTls.get().bind(loops, settings.host(), settings.directTlsPort());
            }
            if (started.components.isPresent()) {
                started.componentAddress = started.components.get().bind(loops);
            }
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    public Optional<InetSocketAddress> directTlsAddress() {
        return Optional.ofNullable(directTlsAddress);
    }

    /** Where external components (XEP-0114) connect, when they may. */
    public Optional<InetSocketAddress> componentAddress() {
        return Optional.ofNullable(componentAddress);
    }

    /** For the start-up line: {@code tcp:5222,tls:5223,component:5347}. */
    String describe() {
        return "tcp:" + tcpAddress.getPort() + (directTlsAddress == null ? "" : ",tls:" + directTlsAddress.getPort())
                + (componentAddress == null ? "" : ",component:" + componentAddress.getPort());
    }

    @Override
    public void close() {
        if (purge != null) {
            purge.cancel(false);
        }
        components.ifPresent(io.telesignal.xmpp.component.ComponentListener::close);
        tcp.close();
        directTls.ifPresent(XmppTcpTransport::close);
    }
}
