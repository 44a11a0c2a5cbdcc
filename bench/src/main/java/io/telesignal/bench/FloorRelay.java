package io.telesignal.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The floor of the WebSocket comparison (issue 19): a bare relay on Netty, on the same transport as the server (epoll,
 * one event loop per core, BoringSSL for wss). A connection to {@code /peerjs?id=A&peer=B} is told {@code OPEN}; every
 * frame it sends then goes to B's connection as it came, not parsed and not checked (not even as UTF-8). What it costs
 * per message is what the kernel and the transport cost; a server's CPU per message above it is its own work.
 *
 * <p>{@code java -cp telesignal-bench.jar io.telesignal.bench.FloorRelay <port> [<certificate.pem> <key.pem>]}
 */
public final class FloorRelay {
    private static final AttributeKey<String> PEER = AttributeKey.valueOf("peer");
    private static final AttributeKey<Channel> PEER_CHANNEL = AttributeKey.valueOf("peerChannel");
    private final Map<String, Channel> byId = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: FloorRelay <port> [<certificate.pem> <key.pem>]");
            System.exit(2);
        }
        SslContext tls = args.length == 3 ? SslContextBuilder.forServer(new File(args[1]), new File(args[2]))
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK).build() : null;
        new FloorRelay().run(Integer.parseInt(args[0]), tls);
    }

    private void run(int port, SslContext tls) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder().websocketPath("/peerjs")
                .checkStartsWith(true).decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(1 << 20).withUTF8Validator(false).build())
                .build();
        Channel server = new ServerBootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls != null) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                        }
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketServerProtocolHandler(ws), new Relay());
                    }
                }).bind("127.0.0.1", port).sync().channel();
        System.out.println("floor relay on 127.0.0.1:" + port + (tls == null ? " (ws)" : " (wss)"));
        server.closeFuture().sync();
    }

    private final class Relay extends SimpleChannelInboundHandler<WebSocketFrame> {
        Relay() {
            super(false); // the frame is passed on, not released here
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
                Map<String, List<String>> query = new QueryStringDecoder(handshake.requestUri()).parameters();
                String id = query.getOrDefault("id", List.of("")).get(0);
                ctx.channel().attr(PEER).set(query.getOrDefault("peer", List.of("")).get(0));
                byId.put(id, ctx.channel());
                ctx.channel().closeFuture().addListener(f -> byId.remove(id, ctx.channel()));
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"OPEN\"}"));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            Channel peer = ctx.channel().attr(PEER_CHANNEL).get();
            if (peer == null || !peer.isActive()) {
                peer = byId.get(ctx.channel().attr(PEER).get());
                ctx.channel().attr(PEER_CHANNEL).set(peer);
            }
            if (peer == null) {
                frame.release(); // the peer is not connected (yet): dropped, as a relay with no queue would
                return;
            }
            peer.writeAndFlush(frame);
        }
    }
}
