package io.telesignal.net.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.telesignal.net.proxy.ProxyProtocolHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.transport.EventLoops;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP(S) listener. Pipeline per connection: PROXY protocol header (from trusted proxies, when configured) →
 * connection gate (limits, channel group) → TLS → HTTP codec
 * (line 4 KiB, headers 8 KiB) → aggregator (body limit; 413 beyond) → idle timeout → dispatcher.
 *
 * <p>Shutdown is two-step: {@link #stopAccepting()} closes the listening socket, then {@link #drain} waits for
 * requests in flight to be answered (answers then say {@code Connection: close}) and closes what remains.
 */
public final class HttpListener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** How long a trusted proxy may take to send the PROXY header after connecting. */
    static final long PROXY_HEADER_TIMEOUT_MS = 5000;

    private final String name;
    private final ListenerSettings settings;
    private final Optional<SslContext> tls;
    private final Routes routes;
    private final EventLoops loops;
    private final FrontDoorMetrics metrics;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private volatile Channel serverChannel;
    private ConnectionGate gate;

    public HttpListener(String name, ListenerSettings settings, Optional<SslContext> tls, Routes routes,
            EventLoops loops, FrontDoorMetrics metrics) {
        if (settings.tls() != tls.isPresent()) {
            throw new IllegalArgumentException("listener " + name + ": tls setting and context disagree");
        }
        this.name = name;
        this.settings = settings;
        this.tls = tls;
        this.routes = routes;
        this.loops = loops;
        this.metrics = metrics;
    }

    /** Binds and answers the bound address (the real port when 0 was configured). */
    public InetSocketAddress bind() {
        gate = new ConnectionGate(settings.maxConnections(), settings.maxConnectionsPerIp(), channels, metrics);
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(4096)
                .setMaxHeaderSize(8192)
                .setMaxChunkSize(8192);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.acceptor(), loops.io())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        ListenerSettings.Clients clients = settings.clients();
                        if (clients.proxyProtocol() && clients.trustedProxies().contains(ch.remoteAddress().getAddress())) {
                            // the header comes before anything else, TLS included; the gate waits for it
                            p.addLast(ProxyProtocolHandler.NAME, new ProxyProtocolHandler(PROXY_HEADER_TIMEOUT_MS));
                        }
                        p.addLast("gate", gate);
                        tls.ifPresent(context -> {
                            p.addLast(io.telesignal.net.tls.RenegotiationGuard.NAME,
                                    new io.telesignal.net.tls.RenegotiationGuard());
                            p.addLast("tls", context.newHandler(ch.alloc()));
                        });
                        p.addLast("codec", new HttpServerCodec(decoderConfig));
                        // before the aggregators: every part of a body read counts as activity
                        p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(),
                                TimeUnit.MILLISECONDS));
                        p.addLast("large-bodies", new LargeBodies(routes));
                        p.addLast("aggregate", new HttpObjectAggregator(settings.maxRequestBytes()));
                        p.addLast("dispatch", new RequestDispatcher(routes, metrics, inFlight, () -> draining,
                                settings.tls(), clients));
                    }
                });
        var bound0 = bootstrap.bind(settings.host(), settings.port()).awaitUninterruptibly();
        if (!bound0.isSuccess()) {
            throw new ListenerBindException(name, settings.host(), settings.port(), bound0.cause());
        }
        serverChannel = bound0.channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("event=listener_bound name={} scheme={} address={}:{}", name, settings.tls() ? "https" : "http",
                bound.getAddress().getHostAddress(), bound.getPort());
        return bound;
    }

    public String name() {
        return name;
    }

    public boolean isBound() {
        Channel channel = serverChannel;
        return channel != null && channel.isActive();
    }

    public Optional<InetSocketAddress> address() {
        Channel channel = serverChannel;
        return channel == null ? Optional.empty() : Optional.of((InetSocketAddress) channel.localAddress());
    }

    public boolean tls() {
        return settings.tls();
    }

    public void stopAccepting() {
        draining = true;
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }

    /** Waits for in-flight requests, then closes every connection; answers whether all finished in time. */
    public boolean drain(Duration timeout) {
        stopAccepting();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean clean = inFlight.get() == 0;
        channels.close().awaitUninterruptibly(Math.max(100, (deadline - System.nanoTime()) / 1_000_000));
        LOG.info("event=listener_drained name={} clean={}", name, clean);
        return clean;
    }

    public int openConnections() {
        return gate == null ? 0 : gate.open();
    }
}
