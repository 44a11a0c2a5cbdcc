package io.telesignal.server.wiring;

import io.telesignal.net.transport.EventLoops;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.sip.SipFrontDoor;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.transport.SipTcpTransport;
import io.telesignal.sip.transport.SipUdpTransport;
import java.net.InetSocketAddress;

/** The SIP front door's listeners (UDP and TCP) on the server's event loops. */
public final class SipDoor implements AutoCloseable {
    private final SipFrontDoor door;
    private final io.telesignal.sip.transport.AddressLimiter limiter;
    private final SipUdpTransport udp;
    private final SipTcpTransport tcp;
    private InetSocketAddress udpAddress;
    private InetSocketAddress tcpAddress;

    private SipDoor(ServerConfig config, EventLoops loops, StoreServices services, Signaling signaling,
            io.telesignal.core.work.WorkerPool workers, java.time.Clock clock) {
        ServerConfig.Sip settings = config.sip();
        // digest against device passwords, nonces sealed under a secret every node derives alike, nonce counts and
        // bindings shared in Redis in cluster mode, failures counted with the other doors' throttle
        var digest = new io.telesignal.sip.auth.DigestServer(new io.telesignal.sip.auth.DigestServer.Settings(
                config.directory().sipRealm(), settings.nonceLifetime(), services.derivedSecret("sip-digest-nonce"),
                settings.digestAlgorithms()),
                services.accounts(), services.devicePasswords(),
                signaling.cluster().map(ClusterMode::nonceCounts).orElseGet(() ->
                        new io.telesignal.core.device.InMemoryNonceCounts(100_000, System::nanoTime)),
                signaling.frontDoor().tokenSignIn().throttle(), services.audit(), clock);
        io.telesignal.core.location.LocationStore locations = signaling.cluster().map(ClusterMode::locations)
                .orElseGet(io.telesignal.core.location.InMemoryLocationStore::new);
        var registrar = new io.telesignal.sip.registrar.Registrar(settings.registrar(), digest, locations,
                new io.telesignal.core.identity.NodeId(config.nodeId()), clock,
                signaling.frontDoor().presenceService(), io.telesignal.sip.transaction.Scheduler.on(loops.io().next()));
        // the transactions' timers on one of the server's loops
        this.door = new SipFrontDoor(io.telesignal.sip.transaction.Scheduler.on(loops.io().next()),
                io.telesignal.sip.transaction.TimerSettings.DEFAULTS, java.util.Optional.of(registrar),
                java.util.Optional.of(new io.telesignal.sip.proxy.Locator(services.accounts(), locations, workers, clock)),
                workers);
        SipParser parser = new SipParser(settings.limits());
        this.limiter = new io.telesignal.sip.transport.AddressLimiter(settings.ratePerAddress(),
                settings.burstPerAddress(), 100_000, System::nanoTime);
        this.udp = new SipUdpTransport(parser, door, limiter);
        this.tcp = new SipTcpTransport(parser, door, settings.idleTimeout(), settings.maxConnections(), limiter);
    }

    static SipDoor start(ServerConfig config, EventLoops loops, StoreServices services, Signaling signaling,
            io.telesignal.core.work.WorkerPool workers, java.time.Clock clock) {
        ServerConfig.Sip settings = config.sip();
        SipDoor started = new SipDoor(config, loops, services, signaling, workers, clock);
        try {
            started.udpAddress = started.udp.bind(loops, settings.host(), settings.udpPort());
            started.tcpAddress = started.tcp.bind(loops, settings.host(), settings.tcpPort());
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
    }
}
