package io.telesignal.server.wiring;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.http.HttpListener;
import io.telesignal.net.http.Routes;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.tls.Certificates;
import io.telesignal.net.tls.ServerCertificate;
import io.telesignal.net.tls.TlsContexts;
import io.telesignal.net.transport.EventLoops;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.server.health.BearerGuard;
import io.telesignal.server.health.HealthRoutes;
import io.telesignal.server.health.MetricsRoute;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of a running server. {@link #start} builds, in order: data directory, store services
 * (store, audit, accounts, tokens), demo users, worker pool, metrics, TLS, routes, event loops, listener.
 * {@link #stop} undoes it in reverse: stop accepting, drain requests, stop workers, drain the audit trail,
 * close the store, stop the event loops — all within the configured shutdown timeout.
 */
public final class TelesignalServer {
    private static final Logger LOG = LoggerFactory.getLogger(TelesignalServer.class);

    private final ServerConfig config;
    private final StoreServices services;
    private final WorkerPool workers;
    private final ServerMetrics metrics;
    private final EventLoops loops;
    private final HttpListener http;
    private final Optional<HttpListener> management;
    private volatile Optional<SipDoor> sip = Optional.empty();
    private volatile Optional<XmppDoor> xmpp = Optional.empty();
    private final Optional<ServerCertificate> certificate;
    private final Signaling signaling;
    private volatile boolean stopping;

    private boolean stopped;

    private TelesignalServer(ServerConfig config, StoreServices services, WorkerPool workers, ServerMetrics metrics,
            EventLoops loops, HttpListener http, Optional<HttpListener> management, Optional<ServerCertificate> certificate,
            Signaling signaling) {
        this.management = management;
        this.config = config;
        this.services = services;
        this.workers = workers;
        this.metrics = metrics;
        this.loops = loops;
        this.http = http;
        this.certificate = certificate;
        this.signaling = signaling;
    }

    /** Starts a server whose drain request ({@code POST /api/v1/node/drain}) stops it gracefully; the process stays. */
    public static TelesignalServer start(ServerConfig config, Clock clock, boolean demo, PrintStream console) {
        return start(config, clock, demo, console, null);
    }

    /**
     * Starts a server; {@code drain} is what an operator's drain request does (the serve command: exit the process,
     * as SIGTERM would, through its shutdown hook); null: a graceful stop.
     */
    public static TelesignalServer start(ServerConfig config, Clock clock, boolean demo, PrintStream console,
            Runnable drain) {
        String version = Version.current();
        io.telesignal.core.ClientAddresses.configure(config.logging().clientAddresses());
        for (String variable : config.ignoredVariables()) {
            // a platform may set these (Kubernetes: TELESIGNAL_PORT for a Service named telesignal); a typo looks alike
            LOG.warn("event=config_variable_ignored variable={} reason=no_such_key", variable);
        }
        StoreServices services = StoreServices.open(config, clock, config.migrateOnStart());
        WorkerPool workers = null;
        ServerMetrics metrics = null;
        EventLoops loops = null;
        Signaling signaling = null;
        Optional<HttpListener> managementListener = Optional.empty();
        HttpListener publicListener = null;
        SipDoor sipDoor = null;
        XmppDoor xmppDoor = null;
        try {
            if (demo) {
                DemoUsers.seed(services.accounts(), console);
            }
            workers = new WorkerPool("worker", config.workers().threads(), config.workers().queue());
            metrics = new ServerMetrics(config.nodeId(), version);
            metrics.watch(workers, services.audit());

            Optional<ServerCertificate> certificate = config.http().tls()
                    ? Optional.of(new Certificates(clock).resolve(config.tls(), config.dataDir()))
                    : Optional.empty();
            var sslContext = certificate.map(c -> TlsContexts.server(c, config.tls().protocols(), config.tls().provider()));

            Routes routes = new Routes();
            Routes managementRoutes = new Routes();
            TelesignalServer[] self = new TelesignalServer[1];
            Signaling[] started = new Signaling[1];
            HealthRoutes health = new HealthRoutes(() -> self[0] != null && self[0].http.isBound(), services.store()::ping,
                    workers, () -> self[0] == null || self[0].stopping, () -> started[0] == null || !started[0].clustered()
                            ? Optional.empty() : Optional.of(started[0].sharedStateReachable()));
            health.register(routes);
            // /metrics names the server's load and its clients: on the management listener only (loopback by default)
            UnaryOperator<HttpHandler> guard = config.management().bearerTokenFile()
                    .<UnaryOperator<HttpHandler>>map(BearerGuard::fromFile).orElse(UnaryOperator.identity());
            health.register(managementRoutes, guard);
            new MetricsRoute(metrics.registry()).register(managementRoutes, guard);
            signaling = Signaling.start(config, services, workers, metrics.registry(), clock, drain != null ? drain
                    : () -> {
                        TelesignalServer running = self[0];
                        if (running != null) {
                            new Thread(running::stop, "drain").start();
                        }
                    });
            started[0] = signaling;
            signaling.register(routes);

            // one loop per core: a relayed message crosses from the sender's loop to the receiver's, and more loops
            // than cores turn those hand-offs into context switches (measured: docs/performance.md)
            int ioThreads = config.workers().ioThreads() == 0
                    ? Runtime.getRuntime().availableProcessors() : config.workers().ioThreads();
            loops = new EventLoops(ioThreads, EventLoops.Transport.fromName(config.workers().ioTransport()));
            HttpListener http = new HttpListener("http", config.http(), sslContext, routes, loops,
                    new FrontDoorMetrics(metrics.registry(), "http"));
            publicListener = http;
            InetSocketAddress bound = http.bind();
            Optional<HttpListener> management = config.management().enabled()
                    ? Optional.of(new HttpListener("management", config.management().listener(), Optional.empty(),
                            managementRoutes, loops, new FrontDoorMetrics(metrics.registry(), "management")))
                    : Optional.empty();
            managementListener = management;
            InetSocketAddress managementBound = management.map(HttpListener::bind).orElse(null);
            self[0] = new TelesignalServer(config, services, workers, metrics, loops, http, management, certificate,
                    signaling);
            if (config.sip().enabled()) {
                // SIP over TLS with the certificate HTTPS uses (made or loaded the same way when HTTPS is off)
                Optional<io.netty.handler.ssl.SslContext> sipTls = !config.sip().tls() ? Optional.empty()
                        : sslContext.isPresent() ? sslContext : Optional.of(TlsContexts.server(
                                new Certificates(clock).resolve(config.tls(), config.dataDir()), config.tls().protocols(),
                                config.tls().provider()));
                sipDoor = SipDoor.start(config, loops, services, signaling, workers, clock, sipTls, routes,
                        metrics.registry(), bound.getPort());
                metrics.watch(sipDoor);
                self[0].sip = Optional.of(sipDoor);
            }
            if (config.xmpp().enabled()) {
                // STARTTLS and direct TLS with the certificate HTTPS uses (made or loaded the same way when HTTPS is off)
                io.netty.handler.ssl.SslContext xmppTls = sslContext.orElseGet(() -> TlsContexts.server(
                        new Certificates(clock).resolve(config.tls(), config.dataDir()), config.tls().protocols(),
                                config.tls().provider()));
                xmppDoor = XmppDoor.start(config, loops, services, signaling, workers, clock, xmppTls, metrics.registry(),
                        routes, bound.getPort());
                self[0].xmpp = Optional.of(xmppDoor);
            }

            services.audit().recordNow(AuditEvent.of("server.started", "system", Outcome.OK).subject(config.nodeId()));
            LOG.info("event=server_started version={} node={} listeners={}://{}:{} management={} sip={} xmpp={} data_dir={} store={} io={}x{} tls={} tls_fingerprint_sha256={}",
                    version, config.nodeId(), config.http().tls() ? "https" : "http",
                    bound.getAddress().getHostAddress(), bound.getPort(), managementBound == null ? "off"
                            : "http://" + managementBound.getAddress().getHostAddress() + ":" + managementBound.getPort(),
                    sipDoor == null ? "off" : sipDoor.describe(), xmppDoor == null ? "off" : xmppDoor.describe(),
                    config.dataDir().toAbsolutePath(),
                    config.store().isH2() ? "h2" : "postgresql", loops.transport().name().toLowerCase(java.util.Locale.ROOT),
                    ioThreads, TlsContexts.resolve(config.tls().provider()).name().toLowerCase(java.util.Locale.ROOT),
                    certificate.map(ServerCertificate::sha256Fingerprint).orElse("none"));
            return self[0];
        } catch (RuntimeException e) {
            managementListener.ifPresent(listener -> listener.drain(Duration.ZERO));
            if (sipDoor != null) {
                sipDoor.close();
            }
            if (xmppDoor != null) {
                xmppDoor.close();
            }
            if (publicListener != null) {
                publicListener.drain(Duration.ZERO);
            }
            if (signaling != null) {
                signaling.close();
            }
            if (loops != null) {
                loops.shutdown(Duration.ofSeconds(2));
            }
            if (workers != null) {
                workers.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            services.close();
            throw e;
        }
    }

    public InetSocketAddress httpAddress() {
        return http.address().orElseThrow();
    }

    /** The SIP listeners, when the SIP door is enabled. */
    public Optional<SipDoor> sip() {
        return sip;
    }

    public Optional<XmppDoor> xmpp() {
        return xmpp;
    }

    /** The management listener's address (/metrics, /healthz, /readyz), when it is enabled. */
    public Optional<InetSocketAddress> managementAddress() {
        return management.flatMap(HttpListener::address);
    }

    public Optional<ServerCertificate> certificate() {
        return certificate;
    }

    public StoreServices services() {
        return services;
    }

    public ServerConfig config() {
        return config;
    }

    public Signaling signaling() {
        return signaling;
    }

    /** The pool blocking work runs on (the store, token checks), shared by the front doors. */
    public WorkerPool workers() {
        return workers;
    }

    /** Graceful stop within the configured timeout; safe to call twice. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopping = true;
        long started = System.nanoTime();
        Duration timeout = config.shutdownTimeout();
        LOG.info("event=server_stopping timeout_ms={}", timeout.toMillis());
        // budget: a quarter to move WebSocket clients to other nodes (no new connection is taken meanwhile, so they
        // reconnect elsewhere), half for requests in flight, then each later step gets a share of what is left
        http.stopAccepting();
        sip.ifPresent(SipDoor::close);
        xmpp.ifPresent(XmppDoor::close);
        signaling.drain(timeout.dividedBy(4));
        // requests in flight are answered while the store and the cluster's shared state are still there
        boolean clean = http.drain(timeout.dividedBy(2));
        signaling.close();
        try {
            workers.close(remaining(started, timeout).dividedBy(3).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.close();
        try {
            services.audit().record(AuditEvent.of("server.stopped", "system", Outcome.OK).subject(config.nodeId()))
                    .orTimeout(remaining(started, timeout).dividedBy(3).toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (RuntimeException e) {
            LOG.warn("event=server_stopping step=audit outcome=failed kind={}", e.getClass().getSimpleName());
        }
        services.close(remaining(started, timeout).dividedBy(2));
        // the management listener answered /readyz (503, stopping) all along; it goes last
        management.ifPresent(listener -> listener.drain(Duration.ofMillis(200)));
        metrics.close();
        loops.shutdown(remaining(started, timeout));
        LOG.info("event=server_stopped clean={} took_ms={}", clean, (System.nanoTime() - started) / 1_000_000);
    }

    private static Duration remaining(long startedNanos, Duration timeout) {
        Duration left = timeout.minusNanos(System.nanoTime() - startedNanos);
        return left.isNegative() ? Duration.ofMillis(100) : left;
    }
}
