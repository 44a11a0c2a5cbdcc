package io.telesignal.net.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in the pipeline of a connection from a trusted proxy that speaks the PROXY protocol: holds the connection back
 * (no {@code channelActive} downstream, so no limit is checked against the proxy's address) until the header has
 * arrived, records its source as the {@link ClientAddress}, then lets the connection through and steps aside. A
 * {@code LOCAL} header (the proxy's own health check) keeps the proxy's address. A connection without a valid header
 * in time is closed.
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolHandler.class);
    public static final String NAME = "proxy-protocol";
    private static final String DECODER = "proxy-protocol-decoder";

    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;

    public ProxyProtocolHandler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().addBefore(ctx.name(), DECODER, new HAProxyMessageDecoder());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held back until the header names the client
        timeout = ctx.executor().schedule(() -> {
            LOG.warn("event=proxy_protocol outcome=timeout proxy={}", address(ctx));
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            // only a TCP client over IPv4 or IPv6 names someone; UNIX sockets, UNKNOWN and LOCAL keep the proxy's address
            if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null
                    && (header.proxiedProtocol() == HAProxyProxiedProtocol.TCP4
                            || header.proxiedProtocol() == HAProxyProxiedProtocol.TCP6)) {
                java.net.InetAddress source = io.netty.util.NetUtil.createInetAddressFromIpAddressString(
                        header.sourceAddress()); // a literal, never a name to look up
                if (source != null) {
                    ClientAddress.set(ctx.channel(), new InetSocketAddress(source, header.sourcePort()));
                }
            }
        } finally {
            header.release();
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.cancel(false);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // not a PROXY header (HAProxyProtocolException): the proxy is misconfigured, or it is not our proxy at all
        LOG.warn("event=proxy_protocol outcome=invalid proxy={} kind={}", address(ctx), cause.getClass().getSimpleName());
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.close();
    }

    private static String address(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    }
}
