package io.telesignal.server.wiring;

import io.telesignal.net.transport.EventLoops;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.sip.SipFrontDoor;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.transport.SipTcpTransport;
import io.telesignal.sip.transport.SipUdpTransport;
import java.net.InetSocketAddress;

/**
 * The SIP front door on the server's event loops: its listeners (UDP and TCP), the registrar and the proxy, with the
 * digest nonces, flow tokens, nonce counts and bindings shared by every node of a cluster.
 */
public final class SipDoor implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SipDoor.class);
    private final SipFrontDoor door;
    private final io.telesignal.sip.proxy.SipDomain domain;
    private final io.telesignal.sip.transport.AddressLimiter limiter;
    private final SipUdpTransport udp;
    private final SipTcpTransport tcp;
    private final java.util.Optional<SipTcpTransport> tls;
    private InetSocketAddress udpAddress;
    private InetSocketAddress tcpAddress;
    private InetSocketAddress tlsAddress;
    private final SipParser parser;
    private final io.telesignal.sip.transport.SipTransports transports;
    private java.util.Optional<io.telesignal.sip.transport.SipWebSocketEndpoint> webSocket = java.util.Optional.empty();

    private SipDoor(ServerConfig config, EventLoops loops, StoreServices services, Signaling signaling,
            io.telesignal.core.work.WorkerPool workers, java.time.Clock clock,
            java.util.Optional<io.netty.handler.ssl.SslContext> tlsContext) {
        ServerConfig.Sip settings = config.sip();
        // digest against device passwords, nonces sealed under a secret every node derives alike, nonce counts and
        // bindings shared in Redis in cluster mode, failures counted with the other doors' throttle
        var digest = new io.telesignal.sip.auth.DigestServer(new io.telesignal.sip.auth.DigestServer.Settings(
                config.directory().sipRealm(), settings.nonceLifetime(), services.derivedSecret("sip-digest-nonce"),
                settings.digestAlgorithms(), config.directory().credentialCacheTtl()),
                services.accounts(), services.devicePasswords(),
                signaling.cluster().map(ClusterMode::nonceCounts).orElseGet(() ->
                        new io.telesignal.core.device.InMemoryNonceCounts(100_000, System::nanoTime)),
                signaling.frontDoor().tokenSignIn().throttle(), services.audit(), clock);
        io.telesignal.core.location.LocationStore locations = signaling.cluster().map(ClusterMode::locations)
                .orElseGet(io.telesignal.core.location.InMemoryLocationStore::new);
        java.util.Set<String> names = new java.util.LinkedHashSet<>(settings.domains());
        names.add(config.directory().sipRealm());
        names.addAll(localAddresses());
        this.domain = new io.telesignal.sip.proxy.SipDomain(advertisedHost(settings), names);
        // flow tokens sealed under a secret every node derives alike: any node opens another's Path and Record-Route
        var tokens = new io.telesignal.sip.proxy.FlowTokens(services.derivedSecret("sip-flow-token"));
        io.telesignal.sip.transaction.Scheduler timers = io.telesignal.sip.transaction.Scheduler.on(loops.io().next());
        var registrar = new io.telesignal.sip.registrar.Registrar(settings.registrar(), digest, locations,
                new io.telesignal.core.identity.NodeId(config.nodeId()), clock,
                signaling.frontDoor().presenceService(), timers, new io.telesignal.sip.proxy.EdgePath(domain, tokens));
        var locator = new io.telesignal.sip.proxy.Locator(services.accounts(), locations, workers, clock);
        var transports = new io.telesignal.sip.transport.SipTransports();
        this.transports = transports;
        // the transactions' timers on one of the server's loops
        this.door = new SipFrontDoor(timers, io.telesignal.sip.transaction.TimerSettings.DEFAULTS,
                java.util.Optional.of(registrar), java.util.Optional.of(layer -> new io.telesignal.sip.proxy.Proxy(
                        domain, tokens, locator, transports, layer, java.util.Optional.of(digest), workers, timers,
                        io.telesignal.sip.transaction.TimerSettings.DEFAULTS,
                        new io.telesignal.sip.proxy.Proxy.Settings(settings.timerC()))),
                workers);
        SipParser parser = new SipParser(settings.limits());
        this.parser = parser;
        this.limiter = new io.telesignal.sip.transport.AddressLimiter(settings.ratePerAddress(),
                settings.burstPerAddress(), 100_000, System::nanoTime);
        this.udp = new SipUdpTransport(parser, door, limiter);
        this.tcp = new SipTcpTransport(parser, door, settings.idleTimeout(), settings.maxConnections(), limiter);
        this.tls = tlsContext.map(context -> new SipTcpTransport(parser, door, settings.idleTimeout(),
                settings.maxConnections(), limiter, java.util.Optional.of(context), java.util.Optional.of(
                        io.telesignal.net.tls.TlsContexts.client(config.tls().protocols()))));
        transports.with("UDP", udp).with("TCP", tcp);
        tls.ifPresent(t -> transports.with("TLS", t));
    }

    /** {@code sip.advertisedHost}, else the listeners' host, else this machine's first non-loopback address. */
    private static String advertisedHost(ServerConfig.Sip settings) {
        if (!settings.advertisedHost().isEmpty()) {
            return settings.advertisedHost();
        }
        String host = settings.host();
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        }
        for (String address : localAddresses()) {
            if (!address.startsWith("127.") && !address.startsWith("[")) {
                return address;
            }
        }
        return "127.0.0.1";
    }

    /** The machine's own addresses as a SIP URI writes them, and localhost: a Request-URI there is this server. */
    private static java.util.List<String> localAddresses() {
        java.util.List<String> addresses = new java.util.ArrayList<>();
        addresses.add("localhost");
        try {
            for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (var address : java.util.Collections.list(nic.getInetAddresses())) {
                    String text = address.getHostAddress().replaceAll("%.*$", "");
                    addresses.add(address instanceof java.net.Inet6Address ? "[" + text + "]" : text);
                }
            }
        } catch (java.net.SocketException e) {
            LOG.warn("event=sip_addresses outcome=unknown kind={}", e.getClass().getSimpleName());
            addresses.add("127.0.0.1");
        }
        return addresses;
    }

    static SipDoor start(ServerConfig config, EventLoops loops, StoreServices services, Signaling signaling,
            io.telesignal.core.work.WorkerPool workers, java.time.Clock clock,
            java.util.Optional<io.netty.handler.ssl.SslContext> tlsContext, io.telesignal.net.http.Routes routes,
            io.micrometer.core.instrument.MeterRegistry registry, int httpPort) {
        ServerConfig.Sip settings = config.sip();
        SipDoor started = new SipDoor(config, loops, services, signaling, workers, clock, tlsContext);
        try {
            started.udpAddress = started.udp.bind(loops, settings.host(), settings.udpPort());
            started.tcpAddress = started.tcp.bind(loops, settings.host(), settings.tcpPort());
            started.domain.listening("UDP", started.udpAddress.getPort()).listening("TCP", started.tcpAddress.getPort());
            if (started.tls.isPresent()) {
                started.tlsAddress = started.tls.get().bind(loops, settings.host(), settings.tlsPort());
                started.domain.listening("TLS", started.tlsAddress.getPort());
            }
            if (settings.webSocket()) {
                // RFC 7118 at /sip on the HTTP listener: WSS when it is HTTPS
                started.webSocket = java.util.Optional.of(new io.telesignal.sip.transport.SipWebSocketEndpoint(
                        started.parser, started.door, started.limiter, config.http().tls()));
                var endpoint = started.webSocket.get();
                routes.webSocket(new io.telesignal.net.websocket.WebSocketRoute("/sip", "sip",
                        new io.telesignal.net.websocket.WebSocketSettings(settings.limits().maxMessageBytes(),
                                java.time.Duration.ofSeconds(30), settings.idleTimeout()), endpoint,
                        new io.telesignal.net.metrics.FrontDoorMetrics(registry, "sip")));
                started.transports.with(endpoint.transport(), endpoint);
                started.domain.listening(endpoint.transport(), httpPort);
            }
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public InetSocketAddress udpAddress() {
        return udpAddress;
    }

    public InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    /** The TLS listener's address, when SIP over TLS runs. */
    public java.util.Optional<InetSocketAddress> tlsAddress() {
        return java.util.Optional.ofNullable(tlsAddress);
    }

    /** The listeners, for the start-up line: {@code udp:5060,tcp:5060,tls:5061}. */
    String describe() {
        return "udp:" + udpAddress.getPort() + ",tcp:" + tcpAddress.getPort()
                + (tlsAddress == null ? "" : ",tls:" + tlsAddress.getPort())
                + webSocket.map(w -> "," + w.transport().toLowerCase(java.util.Locale.ROOT) + ":/sip").orElse("");
    }

    public io.telesignal.sip.transport.AddressLimiter limiter() {
        return limiter;
    }

    public SipFrontDoor door() {
        return door;
    }

    @Override
    public void close() {
        udp.close();
        tcp.close();
        tls.ifPresent(SipTcpTransport::close);
    }
}
