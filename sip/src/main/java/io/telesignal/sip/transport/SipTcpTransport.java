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
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP over TCP (RFC 3261 §18): messages framed by {@link SipStreamDecoder}, answered on the connection they came on;
 * a double-CRLF ping is answered with a CRLF pong (RFC 5626 §3.5.1). A connection silent for the idle timeout is
 * closed. At most {@code maxConnections} connections.
 */
public final class SipTcpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipTcpTransport.class);
    private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private final SipParser parser;
    private final SipHandler handler;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final AddressLimiter limiter;
    private final ChannelGroup channels = new DefaultChannelGroup("sip-tcp", GlobalEventExecutor.INSTANCE);
    private Channel server;

    public SipTcpTransport(SipParser parser, SipHandler handler, Duration idleTimeout, int maxConnections,
            AddressLimiter limiter) {
        this.limiter = limiter;
        this.parser = parser;
        this.handler = handler;
        this.idleTimeout = idleTimeout;
        this.maxConnections = maxConnections;
    }

    public InetSocketAddress bind(EventLoops loops, String host, int port) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops.acceptor(), loops.io())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (channels.size() >= maxConnections) {
                            LOG.warn("event=connection_refused door=sip-tcp reason=max_connections limit={}", maxConnections);
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("frames", new SipStreamDecoder(parser));
                        ch.pipeline().addLast("sip", new Messages(ch));
                    }
                });
        var bound = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new io.telesignal.net.http.ListenerBindException("sip-tcp", host, port, bound.cause());
        }
        server = bound.channel();
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        LOG.info("event=listener_bound name=sip-tcp address={}:{}", address.getAddress().getHostAddress(), address.getPort());
        return address;
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

        Messages(SocketChannel channel) {
            InetSocketAddress remote = channel.remoteAddress();
            this.flow = new Flow() {
                @Override
                public String transport() {
                    return "TCP";
                }

                @Override
                public InetSocketAddress remote() {
                    return remote;
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
            if (message instanceof SipRequest request) {
                if (!limiter.allow(flow.remote().getAddress())) {
                    if (!request.method().equals("ACK")) {
                        flow.send(io.telesignal.sip.message.SipResponses.to(request, 503, "Service Unavailable",
                                java.util.List.of(new io.telesignal.sip.message.Header("Retry-After", "1"))).encode());
                    }
                    return;
                }
                handler.request(io.telesignal.sip.message.Vias.stamp(request, flow.remote()), flow);
            } else if (message instanceof SipResponse response) {
                if (limiter.allow(flow.remote().getAddress())) {
                    handler.response(response, flow);
                }
            } else if (message instanceof SipStreamDecoder.Refused refused) {
                handler.refused(refused.reason(), refused.frame(), flow);
            } else if (message instanceof SipStreamDecoder.Unframeable lost) {
                LOG.info("event=sip_stream_lost door=sip-tcp status={}", lost.reason().status());
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
