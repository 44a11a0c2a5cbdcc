package io.telesignal.net.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.telesignal.core.DomainException;
import io.telesignal.core.work.BusyException;
import io.telesignal.net.metrics.FrontDoorMetrics;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns complete requests into handler calls and their futures into responses, on the channel's event loop.
 * Malformed requests get 400 and the connection is closed (RFC 9112 §2.2: the framing can no longer be
 * trusted); unknown paths 404; wrong methods 405 with {@code Allow}; a saturated worker pool 503 with
 * {@code Retry-After}; anything unexpected 500, logged with ids only.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Routes routes;
    private final FrontDoorMetrics metrics;
    private final AtomicInteger inFlight;
    private final BooleanSupplier draining;
    private final boolean tls;

    RequestDispatcher(Routes routes, FrontDoorMetrics metrics, AtomicInteger inFlight, BooleanSupplier draining,
            boolean tls, ListenerSettings.Clients clients) {
        this.clients = clients;
        this.routes = routes;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.draining = draining;
        this.tls = tls;
    }

    private final ListenerSettings.Clients clients;

    /** The request's client: from X-Forwarded-For when a trusted proxy sent it and it is believed, else the channel's. */
    private InetSocketAddress client(ChannelHandlerContext ctx, FullHttpRequest request) {
        return io.telesignal.net.proxy.ClientAddress.ofRequest(ctx.channel(), request.headers(),
                clients.trustedProxies(), clients.forwardedFor());
    }

    /** Requests that arrived (pipelined) while one was in flight; answered strictly in order. */
    private final java.util.ArrayDeque<FullHttpRequest> pending = new java.util.ArrayDeque<>();
    private static final int MAX_PIPELINED = 16;
    private boolean busy;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        metrics.messageReceived();
        if (busy) {
            // RFC 9112 §9.3.2: answer pipelined requests in the order they came
            if (pending.size() >= MAX_PIPELINED) {
                ctx.close();
                return;
            }
            pending.add(request.retain());
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(ctx, request);
    }

    private void next(ChannelHandlerContext ctx) {
        busy = false;
        FullHttpRequest queued = pending.poll();
        if (queued != null) {
            try {
                dispatch(ctx, queued);
            } finally {
                queued.release();
            }
        } else {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest queued;
        while ((queued = pending.poll()) != null) {
            queued.release();
        }
        super.channelInactive(ctx);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = cause instanceof io.netty.handler.codec.http.TooLongHttpLineException
                    ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongFrameException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
            write(ctx, false, false, HttpResponse.error(status, "bad_request", "malformed HTTP request"));
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = HttpMethod.HEAD.equals(request.method());
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        var webSocket = routes.webSocket(path);
        if (webSocket.isPresent()) {
            if (draining.getAsBoolean()) {
                write(ctx, false, false, HttpResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "stopping",
                        "server is stopping"));
                return;
            }
            if (!pending.isEmpty()) {
                write(ctx, false, false, HttpResponse.error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                        "requests pipelined around an upgrade"));
                return;
            }
            // answers itself: 101 and the WebSocket pipeline, or an HTTP error that closes the connection
            // the connection's client from now on: the one the upgrade request came from
            io.telesignal.net.proxy.ClientAddress.set(ctx.channel(), client(ctx, request));
            io.telesignal.net.websocket.WebSocketUpgrade.upgrade(ctx, request, uri, webSocket.get(), tls, this::write);
            return;
        }
        HttpHandler handler = routes.find(request.method(), path).orElse(null);
        if (handler == null) {
            HttpResponse response = routes.knows(path)
                    ? HttpResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed")
                            .withHeader("Allow", routes.methods(path).stream().map(HttpMethod::name).sorted()
                                    .collect(Collectors.joining(", ")))
                    : HttpResponse.error(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource");
            write(ctx, keepAlive, head, response);
            next(ctx);
            return;
        }
        HttpRequest call = new HttpRequest(request.method(), path, uri.parameters(), request.headers().copy(),
                ByteBufUtil.getBytes(request.content()), client(ctx, request));
        inFlight.incrementAndGet();
        busy = true;
        CompletionStage<HttpResponse> answer;
        try {
            answer = handler.handle(call);
        } catch (RuntimeException e) {
            answer = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> ctx.executor().execute(() -> {
            try {
                write(ctx, keepAlive, head, failure == null ? response : failed(path, failure));
            } finally {
                inFlight.decrementAndGet();
                next(ctx);
            }
        }));
    }

    private static HttpResponse failed(String path, Throwable failure) {
        Throwable cause = io.telesignal.core.work.Failures.cause(failure);
        if (cause instanceof BusyException busy) {
            return HttpResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, busy.code(), "server busy, retry")
                    .withHeader("Retry-After", "1");
        }
        if (cause instanceof DomainException domain) {
            LOG.warn("event=http_request outcome=failed path={} code={}", path, domain.code());
            return HttpResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, domain.code(), "service unavailable");
        }
        String id = io.telesignal.core.work.Failures.unexpected(LOG, "event=http_request outcome=error path=" + path, cause);
        return HttpResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", "internal error (" + id + ")");
    }

    void write(ChannelHandlerContext ctx, boolean keepAlive, boolean head, HttpResponse response) {
        boolean keep = keepAlive && !draining.getAsBoolean();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        out.headers().set("X-Content-Type-Options", "nosniff");
        out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (tls) {
            out.headers().set("Strict-Transport-Security", "max-age=31536000");
        }
        response.headers().forEach((name, value) -> out.headers().set(name, value));
        out.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        metrics.messageSent();
        var written = ctx.writeAndFlush(out);
        if (!keep) {
            written.addListener(ChannelFutureListener.CLOSE);
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
        // TLS handshake failures and resets are the client's business; log the kind, not a stack trace
        LOG.debug("event=http_connection outcome=error kind={}", cause.getClass().getSimpleName());
        ctx.close();
    }
}
