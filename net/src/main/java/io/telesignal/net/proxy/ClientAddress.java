package io.telesignal.net.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The address a connection's client is at: the PROXY protocol's source when a trusted proxy sent a header, else the
 * TCP peer. Kept on the channel, so that limits, logs and audit records all read the same one.
 */
public final class ClientAddress {
    private static final AttributeKey<InetSocketAddress> CLIENT = AttributeKey.valueOf("telesignal.client");

    private ClientAddress() {}

    /** The client's address: what a trusted proxy said, or the TCP peer. */
    public static InetSocketAddress of(Channel channel) {
        InetSocketAddress told = channel.attr(CLIENT).get();
        return told != null ? told : (InetSocketAddress) channel.remoteAddress();
    }

    /**
     * The client of an HTTP request on this channel: when the channel's client is a trusted proxy and it sent
     * {@code X-Forwarded-For}, the right-most address in it that is not a trusted proxy (each proxy appends the address
     * it received from; anything left of the first untrusted one could be made up by the client); else the channel's.
     */
    public static InetSocketAddress ofRequest(Channel channel, HttpHeaders headers, TrustedProxies trusted,
            boolean forwardedFor) {
        InetSocketAddress client = of(channel);
        if (!forwardedFor || !trusted.contains(client.getAddress())) {
            return client;
        }
        List<String> values = headers.getAll("X-Forwarded-For");
        if (values.isEmpty()) {
            return client;
        }
        String[] hops = String.join(",", values).split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = literal(hops[i].trim());
            if (hop == null) {
                return client; // a hop we cannot read: believe nothing further left
            }
            if (!trusted.contains(hop) || i == 0) {
                return new InetSocketAddress(hop, 0);
            }
        }
        return client;
    }

    /** An IP literal (IPv6 possibly in brackets), never a name to look up; null when it is not one. */
    private static InetAddress literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return io.netty.util.NetUtil.createInetAddressFromIpAddressString(bare);
    }

    /**
     * Sets the channel's client: the source a PROXY protocol header named, or the one an upgrade request named through
     * X-Forwarded-For.
     */
    public static void set(Channel channel, InetSocketAddress client) {
        channel.attr(CLIENT).set(client);
    }
}
