package io.telesignal.sip.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.telesignal.net.transport.EventLoops;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP over TCP, and over TLS with a server context (RFC 3261 §18, §26.2.1): messages framed by
 * {@link SipStreamDecoder}, answered on the connection they came on; a double-CRLF ping is answered with a CRLF pong
 * (RFC 5626 §3.5.1). A connection silent for the idle timeout is closed. At most {@code maxConnections} connections.
 * Outbound TLS connections verify the peer's certificate and name against the JVM's trusted authorities.
 */
public final class SipTcpTransport implements AutoCloseable, Connector {
    private static final Logger LOG = LoggerFactory.getLogger(SipTcpTransport.class);
    private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private final SipParser parser;
    private final SipHandler handler;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final AddressLimiter limiter;
    private final String transport;
    private final String name;
    private final java.util.Optional<io.netty.handler.ssl.SslContext> serverTls;
    private final java.util.Optional<io.netty.handler.ssl.SslContext> clientTls;
    private final ChannelGroup channels;
    /** Open connections by the peer's address, inbound and outbound alike: RFC 3261 §18.1.1 reuses either. */
    private final java.util.concurrent.ConcurrentMap<InetSocketAddress, Flow> flows =
            new java.util.concurrent.ConcurrentHashMap<>();
    private Channel server;
    private EventLoops loops;

    /** Plain TCP. */
    public SipTcpTransport(SipParser parser, SipHandler handler, Duration idleTimeout, int maxConnections,
            AddressLimiter limiter) {
        this(parser, handler, idleTimeout, maxConnections, limiter, java.util.Optional.empty(), java.util.Optional.empty());
    }

    /** TLS when {@code serverTls} is given (inbound), with {@code clientTls} for the connections it opens. */
    public SipTcpTransport(SipParser parser, SipHandler handler, Duration idleTimeout, int maxConnections,
            AddressLimiter limiter, java.util.Optional<io.netty.handler.ssl.SslContext> serverTls,
            java.util.Optional<io.netty.handler.ssl.SslContext> clientTls) {
        this.serverTls = serverTls;
        this.clientTls = clientTls;
        this.transport = serverTls.isPresent() ? "TLS" : "TCP";
        this.name = serverTls.isPresent() ? "sip-tls" : "sip-tcp";
        this.channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        this.limiter = limiter;
        this.parser = parser;
        this.handler = handler;
        this.idleTimeout = idleTimeout;
        this.maxConnections = maxConnections;
    }

    public InetSocketAddress bind(EventLoops loops, String host, int port) {
        this.loops = loops;
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops.acceptor(), loops.io())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (channels.size() >= maxConnections) {
                            LOG.warn("event=connection_refused door={} reason=max_connections limit={}", name, maxConnections);
                            ch.close();
                            return;
                        }
                        pipeline(ch, null);
                    }
                });
        var bound = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new io.telesignal.net.http.ListenerBindException(name, host, port, bound.cause());
        }
        server = bound.channel();
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        LOG.info("event=listener_bound name={} address={}:{}", name, address.getAddress().getHostAddress(), address.getPort());
        return address;
    }

    /** {@code to}: the peer this node connects to (a client handshake), null for an accepted connection. */
    private void pipeline(SocketChannel ch, InetSocketAddress to) {
        channels.add(ch);
        if (to == null) {
            serverTls.ifPresent(context -> {
                ch.pipeline().addLast(io.telesignal.net.tls.RenegotiationGuard.NAME,
                        new io.telesignal.net.tls.RenegotiationGuard());
                ch.pipeline().addLast("tls", context.newHandler(ch.alloc()));
            });
        } else {
            clientTls.ifPresent(context -> {
                io.netty.handler.ssl.SslHandler tls = context.newHandler(ch.alloc(), to.getHostString(), to.getPort());
                javax.net.ssl.SSLParameters parameters = tls.engine().getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the peer's certificate names it (RFC 5922)
                tls.engine().setSSLParameters(parameters);
                ch.pipeline().addLast("tls", tls);
            });
        }
        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("frames", new SipStreamDecoder(parser));
        ch.pipeline().addLast("sip", new Messages(ch));
    }

    /**
     * The connection open to {@code address}, or a new one (RFC 3261 §18.1.1). A new one is made only to a peer's
     * listening address (a next hop, another node); an inbound connection the peer closed is gone for good.
     */
    @Override
    public java.util.concurrent.CompletionStage<Flow> flow(String transport, InetSocketAddress address) {
        Flow open = flows.get(address);
        if (open != null) {
            return java.util.concurrent.CompletableFuture.completedFuture(open);
        }
        if (loops == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new FlowFailedException(transport + " is not bound",
                    false));
        }
        if (serverTls.isPresent() && clientTls.isEmpty()) {
            return java.util.concurrent.CompletableFuture.failedFuture(new FlowFailedException(
                    "no client TLS context to open a connection", false));
        }
        if (channels.size() >= maxConnections) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new FlowFailedException("too many SIP connections", false));
        }
        java.util.concurrent.CompletableFuture<Flow> connected = new java.util.concurrent.CompletableFuture<>();
        new io.netty.bootstrap.Bootstrap().group(loops.io()).channel(loops.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch, address);
                    }
                })
                .connect(address).addListener((io.netty.channel.ChannelFutureListener) done -> {
                    if (!done.isSuccess()) {
                        connected.completeExceptionally(new FlowFailedException("could not connect", false));
                        return;
                    }
                    // the promise completes before channelActive: the flow is registered here
                    Messages messages = done.channel().pipeline().get(Messages.class);
                    if (messages == null) {
                        connected.completeExceptionally(new FlowFailedException("connection closed at once", false));
                        return;
                    }
                    io.netty.handler.ssl.SslHandler tls = done.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class);
                    if (tls == null) {
                        flows.putIfAbsent(address, messages.flow);
                        connected.complete(messages.flow);
                        return;
                    }
                    // over TLS the flow is there once the peer proved its name
                    tls.handshakeFuture().addListener(handshake -> {
                        if (handshake.isSuccess()) {
                            flows.putIfAbsent(address, messages.flow);
                            connected.complete(messages.flow);
                        } else {
                            LOG.info("event=sip_tls_handshake outcome=failed door={} kind={}", name,
                                    handshake.cause().getClass().getSimpleName());
                            done.channel().close();
                            connected.completeExceptionally(new FlowFailedException("TLS handshake failed", false));
                        }
                    });
                });
        return connected;
    }

    @Override
    public java.util.concurrent.CompletionStage<Flow> existing(FlowKey key) {
        Flow open = flows.get(key.address());
        return open != null ? java.util.concurrent.CompletableFuture.completedFuture(open)
                : java.util.concurrent.CompletableFuture.failedFuture(new FlowFailedException("the connection is closed", true));
    }

    public int openConnections() {
        return channels.size();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        channels.close().awaitUninterruptibly();
    }

    private final class Messages extends SimpleChannelInboundHandler<Object> {
        private final Flow flow;
        private final SocketChannel channel;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            flows.putIfAbsent(channel.remoteAddress(), flow);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            flows.remove(flow.remote(), flow);
            super.channelInactive(ctx);
        }

        Messages(SocketChannel channel) {
            this.channel = channel;
            this.flow = new Flow() {
                private InetSocketAddress remote;

                @Override
                public String transport() {
                    return transport;
                }

                @Override
                public InetSocketAddress remote() {
                    InetSocketAddress known = remote;
                    if (known == null) {
                        known = channel.remoteAddress();
                        remote = known;
                    }
                    return known;
                }

                @Override
                public boolean reliable() {
                    return true;
                }

                @Override
                public void send(byte[] message) {
                    channel.writeAndFlush(Unpooled.wrappedBuffer(message));
                }
            };
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (message instanceof SipMessage parsed) {
                Inbound.deliverLimited(parsed, flow, handler, limiter);
            } else if (message instanceof SipStreamDecoder.Refused refused) {
                handler.refused(refused.reason(), refused.frame(), flow);
            } else if (message instanceof SipStreamDecoder.Unframeable lost) {
                LOG.info("event=sip_stream_lost door={} status={}", name, lost.reason().status());
            } else if (message == SipStreamDecoder.Keepalive.PING) {
                flow.send(PONG);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("event=sip_connection outcome=error kind={}", cause.getClass().getSimpleName());
            ctx.close();
        }
    }
}
