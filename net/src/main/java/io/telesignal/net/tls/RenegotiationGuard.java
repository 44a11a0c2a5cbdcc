package io.telesignal.net.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses client-initiated TLS renegotiation, whichever TLS provider runs the {@link SslHandler} after it. It reads
 * only the 5-byte TLS record headers going by (RFC 5246 §6.2.1) and passes every byte on unchanged. Once the first
 * handshake is done on a TLS 1.2 connection, a record of content type 22 (handshake) from the client can only be a
 * renegotiation (RFC 5246 §7.4.1.2): each costs the server a full handshake, a denial-of-service lever, so the
 * connection is closed instead. TLS 1.3 has no renegotiation (its KeyUpdates travel as application data): on a TLS 1.3
 * connection the guard takes itself out of the pipeline once the handshake is done, and costs nothing after. The JDK provider is also told to refuse ({@code jdk.tls.rejectClientInitiatedRenegotiation},
 * set by {@link TlsContexts}); this guard covers what reaches the handler in the same read as the Finished message.
 */
public final class RenegotiationGuard extends ChannelInboundHandlerAdapter {
    public static final String NAME = "renegotiation-guard";
    private static final Logger LOG = LoggerFactory.getLogger(RenegotiationGuard.class);
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final int HANDSHAKE = 22;

    private final byte[] header = new byte[5];
    private int headerRead;
    private int bodyLeft;
    /** Set on the event loop once the first handshake is done over TLS 1.2 (or older): from then on, no handshake. */
    private boolean established;

    /** Renegotiations refused since start, by this process. */
    public static long refused() {
        return REFUSED.get();
    }

    /**
     * Learns the first handshake's outcome once, rather than asking the TLS engine on every read: TLS 1.3 has nothing
     * to guard, so the guard leaves the pipeline; TLS 1.2 sets {@link #established}.
     */
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.handshakeFuture().addListener(done -> {
                if (!done.isSuccess()) {
                    return;
                }
                if ("TLSv1.3".equals(ssl.engine().getSession().getProtocol())) {
                    if (ctx.pipeline().context(this) != null) {
                        ctx.pipeline().remove(this);
                    }
                } else {
                    established = true;
                }
            });
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buffer)) {
            ctx.fireChannelRead(msg);
            return;
        }
        for (int i = buffer.readerIndex(), end = buffer.writerIndex(); i < end; ) {
            if (bodyLeft > 0) {
                int skip = Math.min(bodyLeft, end - i);
                i += skip;
                bodyLeft -= skip;
                continue;
            }
            header[headerRead++] = buffer.getByte(i++);
            if (headerRead == header.length) {
                headerRead = 0;
                bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                if (established && header[0] == HANDSHAKE) {
                    ReferenceCountUtil.release(msg);
                    REFUSED.incrementAndGet();
                    LOG.warn("event=tls_renegotiation outcome=refused");
                    ctx.close();
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }
}
