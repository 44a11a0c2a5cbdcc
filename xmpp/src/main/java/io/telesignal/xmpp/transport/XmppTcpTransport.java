package io.telesignal.xmpp.transport;

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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.transport.EventLoops;
import io.telesignal.xmpp.stream.C2sSession;
import io.telesignal.xmpp.stream.Link;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XMPP client connections over TCP (RFC 6120): on 5222 in the clear until the mandatory STARTTLS, or on 5223 with TLS
 * from the first byte (XEP-0368). Each connection is one {@link C2sSession} fed by an {@link XmlStreamParser} on its
 * event loop. Limits: {@code maxConnections} per listener, an idle timeout (whitespace pings count as traffic).
 */
public final class XmppTcpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XmppTcpTransport.class);

    private final String name;
    private final SslContext tls;
    private final boolean directTls;
    private final C2sSession.Context context;
    private final FrontDoorMetrics metrics;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final ChannelGroup channels;
    private Channel server;

    /**
     * @param tls the server's TLS context: offered by STARTTLS, or spoken from the start when {@code directTls}
     */
    public XmppTcpTransport(boolean directTls, SslContext tls, C2sSession.Context context, FrontDoorMetrics metrics,
            Duration idleTimeout, int maxConnections) {
        this.name = directTls ? "xmpp-tls" : "xmpp-tcp";
        this.directTls = directTls;
        this.tls = tls;
        this.context = context;
        this.metrics = metrics;
        this.idleTimeout = idleTimeout;
        this.maxConnections = maxConnections;
        this.channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
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
                            metrics.rejectedOverTotalLimit();
                            LOG.warn("event=connection_refused door={} reason=max_connections limit={}", name, maxConnections);
                            ch.close();
                            return;
                        }
                        channels.add(ch);
                        if (directTls) {
                            ch.pipeline().addLast(io.telesignal.net.tls.RenegotiationGuard.NAME,
                                    new io.telesignal.net.tls.RenegotiationGuard());
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("idle", new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        // flushes within one turn of the event loop go out as one write (and one TLS record)
                        ch.pipeline().addLast("flush", new io.netty.handler.flush.FlushConsolidationHandler(
                                io.netty.handler.flush.FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
                        ch.pipeline().addLast("xmpp", new Connection(ch));
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

    public int connections() {
        return channels.size();
    }

    /** Stops accepting and ends every stream with {@code system-shutdown}. */
    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        io.telesignal.xmpp.transport.StreamConnection.shutDown(channels);
    }

    /** One connection: bytes into the parser, the session's output onto the channel. */
    private final class Connection extends StreamConnection implements Link {
        private final SocketChannel channel;
        /** The session this connection feeds: its own, or the one a stream management resume moved onto it. */
        private volatile C2sSession session;
        private XmlStreamParser parser;
        private boolean tlsStarted;

        Connection(SocketChannel channel) {
            super(name);
            this.channel = channel;
            this.session = new C2sSession(context, this);
            this.parser = newParser();
        }

        private XmlStreamParser newParser() {
            return XmlStreamParser.stream(new Forward(), context.settings().maxStanzaBytes(), context.settings().maxDepth());
        }

        @Override
        protected XmlStreamParser parser() {
            return parser;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            metrics.connectionOpened();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            metrics.connectionClosed();
            session.run(channel.eventLoop(), s -> s.transportClosed(this));
        }

        @Override
        protected void fail(StreamErrorException e) {
            session.run(channel.eventLoop(), s -> s.fail(e));
        }

        @Override
        public void handOver(C2sSession resumed) {
            session = resumed;
        }

        /** Hands parsed elements to the session, on the session's own loop. */
        private final class Forward implements XmlStreamParser.Handler {
            @Override
            public void streamOpened(XmlElement header) throws StreamErrorException {
                run(s -> s.streamOpened(header));
            }

            @Override
            public void element(XmlElement element) throws StreamErrorException {
                run(s -> s.element(element));
            }

            @Override
            public void streamClosed() throws StreamErrorException {
                run(C2sSession::streamClosed);
            }

            private void run(C2sSession.Call call) {
                session.run(channel.eventLoop(), call);
            }
        }

        // ---- Link

        @Override
        public void openStream(String id, String domain) {
            write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='"
                    + XmlElement.STREAM_NS + "' id='" + id + "' from='" + XmlElement.escape(domain)
                    + "' version='1.0' xml:lang='en'>");
        }

        @Override
        public void send(XmlElement element) {
            write(element.toXml(XmlStreamParser.CLIENT_NS));
        }

        @Override
        public void sendSerialized(String xml) {
            write(xml);
        }

        private void write(String text) {
            if (channel.isActive()) {
                metrics.messageSent();
                channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), text));
            }
        }

        @Override
        public void closeStream() {
            if (channel.isActive()) {
                channel.writeAndFlush(channel.alloc().buffer().writeBytes("</stream:stream>".getBytes(StandardCharsets.US_ASCII)))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public boolean secure() {
            return directTls || tlsStarted;
        }

        @Override
        public boolean canStartTls() {
            return !directTls && !tlsStarted;
        }

        @Override
        public void startTls() {
            // the <proceed/> is queued in the clear ahead of the handler; what follows is TLS (RFC 6120 §5.4.3.3)
            SslHandler handler = tls.newHandler(channel.alloc());
            channel.pipeline().addFirst("tls", handler);
            tlsStarted = true;
            parser.restart(); // nothing may follow <starttls/> in the clear
            parser = newParser();
        }

        @Override
        public void restartStream() {
            parser.restart(); // it goes on with the bytes that follow the element, as a new stream
        }

        @Override
        public java.util.Optional<byte[]> tlsServerEndPoint() {
            SslHandler handler = channel.pipeline().get(SslHandler.class);
            if (handler == null || !handler.handshakeFuture().isSuccess()) {
                return java.util.Optional.empty();
            }
            java.security.cert.Certificate[] local = handler.engine().getSession().getLocalCertificates();
            return local != null && local.length > 0 && local[0] instanceof java.security.cert.X509Certificate x509
                    ? java.util.Optional.of(io.telesignal.xmpp.sasl.ScramExchange.tlsServerEndPoint(x509))
                    : java.util.Optional.empty();
        }

        @Override
        public String remoteAddress() {
            InetSocketAddress remote = channel.remoteAddress();
            return remote == null ? "" : remote.getAddress().getHostAddress();
        }

        @Override
        public ScheduledExecutorService loop() {
            return channel.eventLoop();
        }
    }
}
