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
    private final SipUdpTransport udp;
    private final SipTcpTransport tcp;
    private InetSocketAddress udpAddress;
    private InetSocketAddress tcpAddress;

    private SipDoor(ServerConfig.Sip settings, EventLoops loops) {
        // the transactions' timers on one of the server's loops
        this.door = new SipFrontDoor(io.telesignal.sip.transaction.Scheduler.on(loops.io().next()),
                io.telesignal.sip.transaction.TimerSettings.DEFAULTS);
        SipParser parser = new SipParser(settings.limits());
        var limiter = new io.telesignal.sip.transport.AddressLimiter(settings.ratePerAddress(), settings.burstPerAddress(),
                100_000, System::nanoTime);
        this.udp = new SipUdpTransport(parser, door, limiter);
        this.tcp = new SipTcpTransport(parser, door, settings.idleTimeout(), settings.maxConnections(), limiter);
    }

    static SipDoor start(ServerConfig.Sip settings, EventLoops loops) {
        SipDoor started = new SipDoor(settings, loops);
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

    public SipFrontDoor door() {
        return door;
    }

    @Override
    public void close() {
        udp.close();
        tcp.close();
    }
}
