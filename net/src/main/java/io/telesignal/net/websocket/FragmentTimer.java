package io.telesignal.net.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a fragmented message may stay unfinished (RFC 6455 §5.4 lets control frames, pings included, come
 * between fragments, so a client that answers pings could otherwise hold a half message, up to the size limit, for
 * ever). It sits before the aggregator and sees the raw frames: the first fragment starts a timer, the final
 * continuation stops it; if it fires, {@link FragmentTimeoutException} tells the frame handler to close 1008.
 */
final class FragmentTimer extends ChannelInboundHandlerAdapter {
    private final Duration timeout;
    private ScheduledFuture<?> pending;

    FragmentTimer(Duration timeout) {
        this.timeout = timeout;
    }

    /** A fragmented message was not finished within the time allowed. */
    static final class FragmentTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FragmentTimeoutException() {
            super("fragmented message not finished in time", null, false, false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame) {
            boolean continuation = frame instanceof ContinuationWebSocketFrame;
            boolean data = continuation || frame instanceof io.netty.handler.codec.http.websocketx.TextWebSocketFrame
                    || frame instanceof io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
            if (data && !frame.isFinalFragment() && pending == null) {
                ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
                // on the loop the connection is on when it fires (it may have moved since)
                timer[0] = ctx.executor().schedule(new OnChannelLoop(ctx.channel(), () -> expired(ctx, timer[0]),
                        () -> { }), timeout.toNanos(), TimeUnit.NANOSECONDS);
                pending = timer[0];
            } else if (continuation && frame.isFinalFragment()) {
                cancel();
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void expired(ChannelHandlerContext ctx, ScheduledFuture<?> timer) {
        if (pending == timer) { // not a later message's (this one may have finished while it hopped)
            pending = null;
            ctx.fireExceptionCaught(new FragmentTimeoutException());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
