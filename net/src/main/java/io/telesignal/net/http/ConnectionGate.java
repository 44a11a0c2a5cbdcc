package io.telesignal.net.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.telesignal.net.metrics.FrontDoorMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every accepted connection: enforces the total and per-address connection limits, keeps
 * the open channels in a group (for drain) and counts them.
 *
 * <p>Hazard: the per-address counts must be decremented exactly once per admitted channel, so admission is
 * remembered on the channel itself; refused channels are closed before they reach any other handler.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
    private static final io.netty.util.AttributeKey<InetAddress> ADMITTED =
            io.netty.util.AttributeKey.valueOf("telesignal.admitted");

    private final int maxConnections;
    private final int maxPerAddress;
    private final ChannelGroup channels;
    private final FrontDoorMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionGate(int maxConnections, int maxPerAddress, ChannelGroup channels, FrontDoorMetrics metrics) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.channels = channels;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // behind a trusted proxy speaking the PROXY protocol, the client it named, not the proxy
        InetAddress address = io.telesignal.net.proxy.ClientAddress.of(ctx.channel()).getAddress();
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            metrics.rejectedOverTotalLimit();
            LOG.warn("event=connection_refused reason=max_connections limit={}", maxConnections);
            ctx.close();
            return;
        }
        boolean[] admitted = new boolean[1];
        // count and check inside the map's atomic update, so a concurrent close cannot drop the counter between
        perAddress.compute(address, (a, count) -> {
            int current = count == null ? 0 : count.get();
            if (current >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            AtomicInteger next = count == null ? new AtomicInteger() : count;
            next.incrementAndGet();
            return next;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            metrics.rejectedOverPerIpLimit();
            LOG.warn("event=connection_refused reason=max_connections_per_ip remote={} limit={}",
                    io.telesignal.core.ClientAddresses.forLog(address), maxPerAddress);
            ctx.close();
            return;
        }
        ctx.channel().attr(ADMITTED).set(address);
        channels.add(ctx.channel());
        metrics.connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().attr(ADMITTED).getAndSet(null);
        if (address != null) {
            open.decrementAndGet();
            perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
            metrics.connectionClosed();
            super.channelInactive(ctx);
        }
    }

    int open() {
        return open.get();
    }
}
