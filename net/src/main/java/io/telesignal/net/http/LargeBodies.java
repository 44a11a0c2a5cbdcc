package io.telesignal.net.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.OptionalInt;

/**
 * Aggregates the bodies of the requests whose route takes more than the listener's limit ({@link Routes#add(
 * io.netty.handler.codec.http.HttpMethod, String, int, HttpHandler)}), up to that route's own limit, and hands them on
 * whole; the listener's aggregator lets a whole request through as it is, and aggregates every other request within
 * the listener's limit. A body past the route's limit, declared or sent, is answered 413 and the connection closed.
 * One per connection, before the aggregator.
 */
final class LargeBodies extends ChannelInboundHandlerAdapter {
    private final Routes routes;
    private HttpRequest current;
    private CompositeByteBuf body;
    private int limit;
    /** The request is not one of these: its parts go on to the aggregator. */
    private boolean passing;
    /** The rest of a refused request is read and dropped. */
    private boolean discarding;

    LargeBodies(Routes routes) {
        this.routes = routes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            ctx.fireChannelRead(msg); // whole already (the codec's answer to a malformed request)
            return;
        }
        if (msg instanceof HttpRequest request) {
            OptionalInt own = request.decoderResult().isSuccess() ? limitOf(request) : OptionalInt.empty();
            if (own.isEmpty()) {
                passing = true;
                ctx.fireChannelRead(msg);
                return;
            }
            passing = false;
            limit = own.getAsInt();
            if (HttpUtil.getContentLength(request, -1L) > limit) {
                ReferenceCountUtil.release(msg);
                discarding = true;
                tooLarge(ctx);
                return;
            }
            if (HttpUtil.is100ContinueExpected(request)) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                request.headers().remove(HttpHeaderNames.EXPECT);
            }
            current = request;
            body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            return;
        }
        if (!(msg instanceof HttpContent content) || passing) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (discarding || current == null) {
            content.release();
            discarding = discarding && !(msg instanceof LastHttpContent);
            return;
        }
        if ((long) body.readableBytes() + content.content().readableBytes() > limit) {
            content.release();
            body.release();
            body = null;
            current = null;
            discarding = !(msg instanceof LastHttpContent);
            tooLarge(ctx);
            return;
        }
        body.addComponent(true, content.content().retain());
        content.release();
        if (msg instanceof LastHttpContent last) {
            FullHttpRequest whole = new DefaultFullHttpRequest(current.protocolVersion(), current.method(), current.uri(),
                    body, current.headers(), last.trailingHeaders());
            HttpUtil.setContentLength(whole, body.readableBytes());
            current = null;
            body = null;
            ctx.fireChannelRead(whole);
        }
    }

    private OptionalInt limitOf(HttpRequest request) {
        try {
            return routes.bodyLimit(request.method(), new QueryStringDecoder(request.uri()).path());
        } catch (IllegalArgumentException malformed) {
            return OptionalInt.empty(); // the dispatcher answers it
        }
    }

    private static void tooLarge(ChannelHandlerContext ctx) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.release();
            body = null;
        }
        ctx.fireChannelInactive();
    }
}
