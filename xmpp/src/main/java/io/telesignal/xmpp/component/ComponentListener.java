package io.telesignal.xmpp.component;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.auth.SignInThrottle;
import io.telesignal.net.transport.EventLoops;
import io.telesignal.xmpp.stream.C2sSession;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener external components (XEP-0114) connect to: plain TCP (the protocol has no TLS; bind it to loopback or a
 * private network), one {@link ComponentSession} per connection fed by an {@link XmlStreamParser} in
 * {@code jabber:component:accept}, the stanza size and depth limits of client streams, an idle timeout and a
 * connection limit.
 */
public final class ComponentListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentListener.class);
    private static final String NAME = "xmpp-component";

    private final C2sSession.Context context;
    private final Components components;
    private final SignInThrottle throttle;
    private final AuditTrail audit;
    private final ChannelGroup channels = new DefaultChannelGroup(NAME, GlobalEventExecutor.INSTANCE);
    private Channel server;

    public ComponentListener(C2sSession.Context context, Components components, SignInThrottle throttle, AuditTrail audit) {
        this.context = context;
        this.components = components;
        this.throttle = throttle;
        this.audit = audit;
    }

    public InetSocketAddress bind(EventLoops loops) {
        ComponentSettings settings = components.settings();
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops.acceptor(), loops.io())
                .channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (channels.size() >= settings.maxConnections()) {
                            LOG.warn("event=connection_refused door={} reason=max_connections limit={}", NAME,
                                    settings.maxConnections());
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        ch.pipeline().addLast("idle", new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("flush", new io.netty.handler.flush.FlushConsolidationHandler(
                                io.netty.handler.flush.FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                        ch.pipeline().addLast("component", new Connection(ch));
                    }
                });
        var bound = bootstrap.bind(settings.host(), settings.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new io.telesignal.net.http.ListenerBindException(NAME, settings.host(), settings.port(), bound.cause());
        }
        server = bound.channel();
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        LOG.info("event=listener_bound name={} address={}:{} components={}", NAME, address.getAddress().getHostAddress(),
                address.getPort(), settings.secrets().size());
        return address;
    }

    /** Stops accepting and ends every component's stream with {@code system-shutdown}. */
    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        io.telesignal.xmpp.transport.StreamConnection.shutDown(channels);
    }

    private final class Connection extends io.telesignal.xmpp.transport.StreamConnection implements ComponentSession.Output {
        private final SocketChannel channel;
        private final ComponentSession session;
        private final XmlStreamParser parser;

        Connection(SocketChannel channel) {
            super(NAME);
            this.channel = channel;
            this.session = new ComponentSession(context, components, throttle, audit, this);
            this.parser = XmlStreamParser.stream(new XmlStreamParser.Handler() {
                @Override
                public void streamOpened(XmlElement header) throws StreamErrorException {
                    session.streamOpened(header);
                }

                @Override
                public void element(XmlElement element) throws StreamErrorException {
                    session.element(element);
                }

                @Override
                public void streamClosed() {
                    session.streamClosed();
                }
            }, context.settings().maxStanzaBytes(), context.settings().maxDepth(), Components.NS);
        }

        @Override
        protected XmlStreamParser parser() {
            return parser;
        }

        @Override
        protected void fail(StreamErrorException error) {
            session.fail(error);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            session.connectionClosed();
        }

        @Override
        public void write(String text) {
            if (channel.isActive()) {
                channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), text));
            }
        }

        @Override
        public void close() {
            if (channel.isActive()) {
                channel.writeAndFlush(channel.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public ScheduledExecutorService loop() {
            return channel.eventLoop();
        }

        @Override
        public String remoteAddress() {
            InetSocketAddress remote = channel.remoteAddress();
            return remote == null ? "" : remote.getAddress().getHostAddress();
        }
    }
}
