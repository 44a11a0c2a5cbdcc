package io.telesignal.net.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.telesignal.net.metrics.FrontDoorMetrics;
import java.net.InetSocketAddress;

/**
 * The last handler of an upgraded connection: turns frames into {@link WebSocketHandler} calls and is the
 * connection's {@link WebSocketConnection}.
 *
 * <p>Heartbeat: when nothing was read for a ping interval the server pings (a client that only listens is pinged
 * too); when the silence reaches the idle timeout the connection is closed 1001. Binary frames are refused with 1003 unless the endpoint's
 * protocol takes them (SIP does, RFC 7118 §5). Oversized messages are closed 1009 by the decoder or the aggregator before they reach this handler.
 *
 * <p>Closing (RFC 6455 §7): a frame the decoder refuses, a close frame with a code no peer may send (999, 1005, 1006,
 * 5000...) or a reason that is not UTF-8, is answered with a close frame 1002, never a silent drop; a fragmented
 * message not finished within the fragment timeout gets 1008. When the server closes first, it sends its close frame
 * and then keeps reading (and discarding) until the client closes or {@value #LINGER_MS} ms have passed: closing a
 * socket with unread data makes the kernel send a reset, which can destroy the close frame before a client that is
 * still sending has read it.
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> implements WebSocketConnection {
    private final FrontDoorMetrics metrics;
    private final WebSocketSettings settings;
    private int quietIntervals;
    private ChannelHandlerContext ctx;
    private WebSocketHandler handler;
    private boolean closeNotified;
    /** A flush task is queued on the loop behind the writes of this turn (loop-confined). */
    private boolean flushQueued;
    /** Messages ({@code String}) and at most one {@link Closing}, in the order callers chose; drained on the loop. */
    private final java.util.Queue<Object> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    /** A close was asked for: frames read from now on are dropped, nothing more is queued. */
    private volatile boolean closing;
    /** The close frame was written (loop-confined): whatever the outbox still holds is dropped. */
    private boolean closeWritten;
    /** Between asking to leave this loop and being registered with the next (loop-confined). */
    private boolean moving;
    /**
     * The handshake's 101 was written, so the HTTP codec left the pipeline (loop-confined): from then on frames are
     * written pre-framed as bytes, which the HTTP encoder before it would refuse.
     */
    private boolean handshaken;

    private record Closing(int code, String reason) {}
    /** How long the server waits for the client's side of the close before it drops the connection. */
    static final long LINGER_MS = 2000;
    private int closeCode = CloseCodes.ABNORMAL;
    /** The drain and the flush, as tasks that run on the loop the connection is on when they run (made once). */
    private Runnable drainTask;
    private Runnable flushTask;

    WebSocketFrameHandler(FrontDoorMetrics metrics, WebSocketSettings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    void attach(WebSocketHandler webSocketHandler) {
        this.handler = webSocketHandler;
    }

    /** On the loop, once the 101 is written. */
    void handshaken() {
        handshaken = true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.drainTask = new OnChannelLoop(context.channel(), this::drain, this::stopped);
        this.flushTask = new OnChannelLoop(context.channel(), this::flushQueued, () -> { });
        metrics.connectionOpened();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
        quietIntervals = 0;
        if (closing) {
            // the connection is being closed: what the client sends meanwhile is not acted on; its close ends it
            if (frame instanceof CloseWebSocketFrame && closeWritten) {
                context.close();
            }
            return;
        }
        if (frame instanceof TextWebSocketFrame text) {
            metrics.messageReceived();
            String decoded = text.text();
            // RFC 6455 §8.1: text that is not UTF-8 fails the connection (1007). Decoding replaced bad bytes with
            // U+FFFD; only a message that holds one is checked strictly (an ASCII message answers at once)
            if (decoded.indexOf('\uFFFD') >= 0 && !validUtf8(text.content())) {
                close(CloseCodes.INVALID_PAYLOAD, "text is not UTF-8");
                return;
            }
            handler.onText(decoded);
        } else if (frame instanceof PingWebSocketFrame ping) {
            context.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof PongWebSocketFrame) {
            // heartbeat answered; the read itself reset the idle timer
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode() < 0 ? CloseCodes.NO_STATUS : close.statusCode();
            int answer = closeCode == CloseCodes.NO_STATUS ? CloseCodes.NORMAL
                    : CloseCodes.validOnTheWire(closeCode) ? closeCode : CloseCodes.PROTOCOL_ERROR;
            closing = true;
            closeWritten = true;
            // the client closed first: answer, and the server closes the TCP connection (RFC 6455 §7.1.1)
            context.writeAndFlush(new CloseWebSocketFrame(answer, answer == CloseCodes.PROTOCOL_ERROR
                    ? "invalid close code" : "")).addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame binary) {
            metrics.messageReceived();
            byte[] data = new byte[binary.content().readableBytes()];
            binary.content().getBytes(binary.content().readerIndex(), data);
            if (!handler.onBinary(data)) {
                close(CloseCodes.UNSUPPORTED_DATA, "text frames only");
            }
        } else {
            close(CloseCodes.UNSUPPORTED_DATA, "text frames only");
        }
    }

    private static boolean validUtf8(io.netty.buffer.ByteBuf bytes) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(bytes.nioBuffer());
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof IdleStateEvent && closing) {
            return; // no ping after a close frame
        }
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            // nothing read for a ping interval: ping, and give up once the silence reaches the idle timeout
            quietIntervals++;
            if (settings.pingInterval().multipliedBy(quietIntervals).compareTo(settings.idleTimeout()) >= 0) {
                close(CloseCodes.GOING_AWAY, "idle timeout");
            } else {
                context.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException corrupted
                && corrupted.closeStatus().code() == CloseCodes.MESSAGE_TOO_BIG) {
            close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException || cause instanceof CorruptedFrameException) {
            // a bad frame, or a close frame with a reserved code or a reason that is not UTF-8: answered, not dropped
            close(CloseCodes.PROTOCOL_ERROR, "protocol error");
        } else if (cause instanceof FragmentTimer.FragmentTimeoutException) {
            close(CloseCodes.POLICY_VIOLATION, "message not finished in time");
        } else {
            context.close();
        }
    }

    /**
     * A connection closed in the turn its move was asked for is deregistered by the move before Netty's own
     * deregistration for the close runs. Netty then empties the pipeline of a closed channel as it is unregistered,
     * so the close's {@code channelInactive}, which comes after, would reach no handler: the connection would never be
     * counted out nor its handler told. It is fired here, through the whole pipeline, before it is emptied.
     */
    @Override
    public void channelUnregistered(ChannelHandlerContext context) throws Exception {
        if (moving && !closeNotified && !context.channel().isOpen()) {
            context.pipeline().fireChannelInactive();
        }
        super.channelUnregistered(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        notifyClosed();
        super.channelInactive(context);
    }

    private void notifyClosed() {
        if (!closeNotified) {
            closeNotified = true;
            metrics.connectionClosed();
            if (handler != null) {
                handler.onClose(closeCode);
            }
        }
    }

    /**
     * Queues the message for the connection's event loop, even when called on that loop: one queue per connection,
     * drained in order, so messages leave in the order callers chose (under their own locks) whatever thread each
     * came from. Writing directly when on the loop would let it overtake messages queued earlier from other
     * threads. One drain task runs per batch rather than one task per message.
     */
    @Override
    public boolean send(String text) {
        if (closing || !ctx.channel().isActive()) {
            return false;
        }
        metrics.messageSent();
        enqueue(text);
        return true;
    }

    private void enqueue(Object item) {
        outbox.offer(item);
        if (draining.compareAndSet(false, true)) {
            try {
                ctx.channel().eventLoop().execute(drainTask);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                stopped();
            }
        }
    }

    /** The loop is shutting down with the server: nothing will be written any more. */
    private void stopped() {
        outbox.clear();
        draining.set(false);
    }

    /**
     * On the loop: writes what is queued (UTF-8, copied into pooled buffers) in order, a close frame where one
     * was queued and nothing after it, then asks for one flush.
     */
    private void drain() {
        if (moving) {
            return; // not registered with its new loop yet: drained once it is (draining stays set meanwhile)
        }
        do {
            Object item;
            while ((item = outbox.poll()) != null) {
                if (closeWritten) {
                    continue;
                }
                if (item instanceof Closing close) {
                    closeWritten = true;
                    if (ctx.channel().isActive()) {
                        closeCode = close.code();
                        ctx.writeAndFlush(new CloseWebSocketFrame(close.code(), close.reason()))
                                .addListener(written -> linger());
                    }
                } else {
                    // the JDK's encoder copies an all-ASCII string (an SDP, most JSON) as one block; Netty's
                    // writeUtf8 goes character by character, and was a twentieth of the relay's CPU
                    byte[] utf8 = ((String) item).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    if (handshaken) {
                        // framed here, in the buffer it is copied into: the frame encoder would copy a small one
                        // again (or write its header apart); a write that fails closes the connection (exceptionCaught)
                        ctx.write(textFrame(ctx.alloc(), utf8), ctx.voidPromise());
                    } else {
                        ctx.write(new TextWebSocketFrame(ctx.alloc().ioBuffer(utf8.length).writeBytes(utf8)));
                    }
                }
            }
            draining.set(false);
            // an item queued after the last poll but before the flag dropped found it set: take it now
        } while (!outbox.isEmpty() && draining.compareAndSet(false, true));
        if (!flushQueued && !closeWritten) {
            // one flush for everything written in this turn of the loop, after the other tasks queued in it
            flushQueued = true;
            ctx.channel().eventLoop().execute(flushTask);
        }
    }

    /**
     * A whole, unmasked text frame (RFC 6455 §5.2: FIN and opcode 1, then the payload length in 7 bits, or 126 and 16
     * bits, or 127 and 64 bits) with {@code utf8} as its payload, in one pooled I/O buffer: what Netty's frame encoder
     * writes for a {@link TextWebSocketFrame}, which passes it on untouched as it is not a frame object.
     */
    static io.netty.buffer.ByteBuf textFrame(io.netty.buffer.ByteBufAllocator alloc, byte[] utf8) {
        int length = utf8.length;
        io.netty.buffer.ByteBuf frame = alloc.ioBuffer((length < 126 ? 2 : length < 65536 ? 4 : 10) + length);
        frame.writeByte(0x81);
        if (length < 126) {
            frame.writeByte(length);
        } else if (length < 65536) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        return frame.writeBytes(utf8);
    }

    /** After the server's close frame: read (and drop) until the client closes, for {@link #LINGER_MS} at most. */
    private void linger() {
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule(() -> {
                ctx.close();
            }, LINGER_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void flushQueued() {
        flushQueued = false;
        if (!moving) {
            ctx.flush(); // else flushed once registered with the new loop
        }
    }

    @Override
    public void execute(Runnable task, java.time.Duration delay) {
        Runnable here = new OnChannelLoop(ctx.channel(), task, () -> { });
        try {
            if (delay.isZero()) {
                ctx.channel().eventLoop().execute(here);
            } else {
                ctx.channel().eventLoop().schedule(here, delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the server is stopping: the connection's tasks go with it
        }
    }

    /**
     * On this connection's loop: moves it to {@code target}, another loop of the same group, so that it shares a loop
     * with the peer it talks to. Netty deregisters the channel after this turn of the loop and registers it with the
     * target: what is read meanwhile waits in the socket, what is sent meanwhile waits in the outbox, and the tasks
     * queued or scheduled on the old loop for this connection hop to the new one when they run. The heartbeat starts
     * again on the new loop. Answers false, and does nothing, when the connection is closing or moving already, is on
     * {@code target}, or {@code target} is of another group or shutting down.
     */
    @Override
    public boolean moveTo(EventLoop target) {
        io.netty.channel.Channel channel = ctx.channel();
        EventLoop from = channel.eventLoop();
        if (!from.inEventLoop()) {
            throw new IllegalStateException("a connection is moved from its own event loop");
        }
        if (target == from || target.parent() != from.parent() || target.isShuttingDown() || moving || closing
                || !channel.isActive()) {
            return false;
        }
        moving = true;
        // the heartbeat's timer belongs to this loop: it goes now, and a fresh one starts on the target
        WebSocketUpgrade.stopHeartbeat(channel.pipeline());
        channel.deregister().addListener(deregistered -> {
            if (!channel.isOpen()) {
                moving = false; // closed in this turn, after the move was asked for (see channelUnregistered)
            } else if (!deregistered.isSuccess()) {
                settle(channel); // still here
            } else {
                // from here on channel.eventLoop() is the target: what the old loop still runs for us hops over
                target.register(channel).addListener(registered -> moved(channel, registered.isSuccess()));
            }
        });
        return true;
    }

    /** On the target loop, once it registered the channel or could not (the channel was closed meanwhile). */
    private void moved(io.netty.channel.Channel channel, boolean registered) {
        if (registered) {
            metrics.connectionMoved();
            settle(channel);
        } else {
            moving = false;
            // closed while unregistered (a close on the old loop after the deregistration): Netty tells the pipeline
            // of a close only on a registered channel, so it is told here, and the connection is counted out
            channel.unsafe().closeForcibly();
            channel.pipeline().fireChannelInactive();
        }
    }

    /** On the loop the connection is registered with now: the heartbeat again, and what waited for the move. */
    private void settle(io.netty.channel.Channel channel) {
        moving = false;
        if (channel.isActive()) {
            WebSocketUpgrade.startHeartbeat(channel.pipeline(), ctx.name(), settings);
            if (draining.get()) {
                drain(); // what was sent while it moved (the drain asked for then waited)
            }
            channel.flush(); // and anything the old loop left unwritten
        }
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    /**
     * Queued in the outbox behind the messages sent before it, so they reach the client first, whatever thread
     * sent them; messages sent after it are dropped, and so are frames read once it was asked for.
     */
    @Override
    public void close(int code, String reason) {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        closing = true;
        enqueue(new Closing(code, reason));
    }

    @Override
    public void abort() {
        ctx.channel().close();
    }

    @Override
    public boolean isOpen() {
        return ctx.channel().isActive();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return io.telesignal.net.proxy.ClientAddress.of(ctx.channel());
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }
}
