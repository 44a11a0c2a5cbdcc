package io.telesignal.net.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Aggregates the bodies of the requests whose route takes more than the listener's limit ({@link Routes#add(
 * io.netty.handler.codec.http.HttpMethod, String, int, BodyGate, HttpHandler)}), up to that route's own limit, and
 * hands them on whole; the listener's aggregator lets a whole request through as it is, and aggregates every other
 * request within the listener's limit. Before any of the body is read (and before {@code 100 Continue}) the route's
 * gate sees the headers: a refusal, a declared length past the limit (413), or a body that grows past it, is answered
 * at once and the connection closed. The body goes into one buffer, grown as it comes. One per connection.
 */
final class LargeBodies extends ChannelInboundHandlerAdapter {
    private static final int FIRST_BUFFER = 64 * 1024;

    private final Routes routes;
    private HttpRequest current;
    private ByteBuf body;
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
            Optional<Routes.LargeBody> route = request.decoderResult().isSuccess() ? routeOf(request) : Optional.empty();
            if (route.isEmpty()) {
                passing = true;
                ctx.fireChannelRead(msg);
                return;
            }
            passing = false;
            limit = route.get().maxBytes();
            long declared = HttpUtil.getContentLength(request, -1L);
            Optional<HttpResponseStatus> refused = declared > limit ? Optional.of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)
                    : route.get().gate().admit(new QueryStringDecoder(request.uri()).path(), request.headers());
            if (refused.isPresent()) {
                ReferenceCountUtil.release(msg);
                discarding = true;
                refuse(ctx, refused.get());
                return;
            }
            if (HttpUtil.is100ContinueExpected(request)) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                request.headers().remove(HttpHeaderNames.EXPECT);
            }
            current = request;
            body = ctx.alloc().buffer((int) Math.min(limit, declared >= 0 ? declared : FIRST_BUFFER), limit);
            return;
        }
        if (!(msg instanceof HttpContent content) || passing) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (discarding || current == null) {
            content.release();
            if (discarding && msg instanceof LastHttpContent) {
                discarding = false;
                ctx.close(); // the refused body is all read: the client has had the answer
            }
            return;
        }
        HttpResponseStatus wrong = content.decoderResult().isFailure() ? HttpResponseStatus.BAD_REQUEST
                : (long) body.readableBytes() + content.content().readableBytes() > limit
                ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : null;
        if (wrong != null) {
            content.release();
            drop();
            discarding = !(msg instanceof LastHttpContent);
            refuse(ctx, wrong);
            if (!discarding) {
                ctx.close();
            }
            return;
        }
        body.writeBytes(content.content());
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

    private Optional<Routes.LargeBody> routeOf(HttpRequest request) {
        try {
            return routes.largeBody(request.method(), new QueryStringDecoder(request.uri()).path());
        } catch (IllegalArgumentException malformed) {
            return Optional.empty(); // the dispatcher answers it
        }
    }

    private void drop() {
        if (body != null) {
            body.release();
            body = null;
        }
        current = null;
    }

    /** How long a refused request's body is read and dropped, at most, before the connection is closed. */
    private static final long LINGER_MS = 2000;

    /**
     * Answers a refusal and closes the connection once the refused body is read (at most {@link #LINGER_MS} later):
     * closing while the client still sends would reset the connection and lose the answer.
     */
    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase(), StandardCharsets.US_ASCII));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=us-ascii");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        drop();
        ctx.fireChannelInactive();
    }
}
