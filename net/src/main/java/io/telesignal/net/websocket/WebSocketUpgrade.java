package io.telesignal.net.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades an HTTP request on a WebSocket path (RFC 6455 §4.2). Refuses, with an HTTP answer, a request that is
 * not a GET upgrade (426 with {@code Upgrade: websocket}) or that does not offer the path's subprotocol (400),
 * so a client never ends up speaking a protocol it did not ask for. On success the HTTP handlers leave the
 * pipeline and the WebSocket ones take their place: frame decoder with the message size limit, fragment
 * reassembly, heartbeat timers, and the {@link WebSocketFrameHandler}.
 */
public final class WebSocketUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrade.class);

    /** Writes an HTTP response on the connection (the dispatcher's writer). */
    @FunctionalInterface
    public interface Responder {
        void write(ChannelHandlerContext ctx, boolean keepAlive, boolean head, HttpResponse response);
    }

    private WebSocketUpgrade() {}

    /** The heartbeat's name in an upgraded pipeline: reader idle for a ping interval, see WebSocketFrameHandler. */
    private static final String HEARTBEAT = "ws-idle";

    private static IdleStateHandler heartbeat(WebSocketSettings settings) {
        return new IdleStateHandler(settings.pingInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    /** Before a move to another loop, on the old one: the heartbeat and its timer go (they belong to this loop). */
    static void stopHeartbeat(ChannelPipeline pipeline) {
        if (pipeline.get(HEARTBEAT) != null) {
            pipeline.remove(HEARTBEAT);
        }
    }

    /** After the move, on the new loop: a fresh heartbeat, where it was (just before the frame handler). */
    static void startHeartbeat(ChannelPipeline pipeline, String before, WebSocketSettings settings) {
        if (pipeline.get(HEARTBEAT) == null) {
            pipeline.addBefore(before, HEARTBEAT, heartbeat(settings));
        }
    }

    /** Answers true when the connection now speaks WebSocket; false when an HTTP answer was written instead. */
    public static boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri,
            WebSocketRoute route, boolean tls, Responder responder) {
        boolean isUpgrade = HttpMethod.GET.equals(request.method())
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if (!isUpgrade) {
            responder.write(ctx, false, false, HttpResponse.error(HttpResponseStatus.UPGRADE_REQUIRED,
                    "upgrade_required", "this path speaks WebSocket only").withHeader("Upgrade", "websocket"));
            return false;
        }
        String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
        boolean offersOurs = Arrays.stream(offered.split(",")).map(String::trim).anyMatch(route.subprotocol()::equals);
        if (!offersOurs) {
            responder.write(ctx, false, false, HttpResponse.error(HttpResponseStatus.BAD_REQUEST, "subprotocol_required",
                    "offer the WebSocket subprotocol " + route.subprotocol()));
            return false;
        }
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        String location = (tls ? "wss://" : "ws://") + host + route.path();
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(route.settings().maxMessageBytes())
                .allowExtensions(false)
                .expectMaskedFrames(true)
                // a violation reaches WebSocketFrameHandler, which answers with a close frame (1002, or 1007/1009 as the
                // decoder names it) even when the bad frame was the client's own close, as Netty would not
                .closeOnProtocolViolation(false)
                .build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, route.subprotocol(),
                decoderConfig).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return true;
        }

        HttpRequest upgradeRequest = new HttpRequest(request.method(), uri.path(), uri.parameters(),
                request.headers().copy(), new byte[0], io.telesignal.net.proxy.ClientAddress.of(ctx.channel()));
        ChannelPipeline pipeline = ctx.pipeline();
        WebSocketFrameHandler frames = new WebSocketFrameHandler(route.metrics(), route.settings());
        pipeline.replace("idle", HEARTBEAT, heartbeat(route.settings()));
        pipeline.addBefore(HEARTBEAT, "ws-aggregate", new WebSocketFrameAggregator(route.settings().maxMessageBytes()));
        pipeline.addBefore("ws-aggregate", "ws-fragments", new FragmentTimer(route.settings().fragmentTimeout()));
        pipeline.replace(ctx.name(), "ws-frames", frames);
        if (pipeline.get("large-bodies") != null) {
            pipeline.remove("large-bodies"); // HTTP bodies only: a frame need not pass through it
        }
        try {
            frames.attach(route.endpoint().open(frames, upgradeRequest));
        } catch (RuntimeException e) {
            io.telesignal.core.work.Failures.unexpected(LOG, "event=websocket_open outcome=error path=" + route.path(), e);
            ctx.channel().close();
            return true;
        }
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
            if (done.isSuccess()) {
                frames.handshaken();
            } else {
                LOG.debug("event=websocket_handshake outcome=failed path={}", route.path());
                ctx.channel().close();
            }
        });
        return true;
    }
}
