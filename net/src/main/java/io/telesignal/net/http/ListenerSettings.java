package io.telesignal.net.http;

import java.time.Duration;
import java.util.Objects;

/**
 * One HTTP listener's address and limits.
 *
 * @param maxConnections      open connections at most; more are closed on accept
 * @param maxConnectionsPerIp open connections from one remote address at most
 * @param maxRequestBytes     request body size at most (413 beyond)
 * @param idleTimeout         a connection with no traffic for this long is closed
 * @param clients             whose word on the client's address is believed, and how they give it
 */
public record ListenerSettings(String host, int port, boolean tls, int maxConnections, int maxConnectionsPerIp,
        int maxRequestBytes, Duration idleTimeout, Clients clients) {
    /**
     * @param trustedProxies the load balancers and proxies in front of this listener
     * @param proxyProtocol  connections from them start with a PROXY protocol header (v1 or v2) naming the client
     * @param forwardedFor   HTTP requests from them name the client in {@code X-Forwarded-For}
     */
    public record Clients(io.telesignal.net.proxy.TrustedProxies trustedProxies, boolean proxyProtocol,
            boolean forwardedFor) {
        public static final Clients DIRECT = new Clients(io.telesignal.net.proxy.TrustedProxies.NONE, false, false);

        public Clients {
            Objects.requireNonNull(trustedProxies, "trustedProxies");
            if ((proxyProtocol || forwardedFor) && trustedProxies.isEmpty()) {
                throw new IllegalArgumentException("the PROXY protocol and X-Forwarded-For need trusted proxies");
            }
        }
    }

    /** A listener clients reach directly, with no proxy in front. */
    public ListenerSettings(String host, int port, boolean tls, int maxConnections, int maxConnectionsPerIp,
            int maxRequestBytes, Duration idleTimeout) {
        this(host, port, tls, maxConnections, maxConnectionsPerIp, maxRequestBytes, idleTimeout, Clients.DIRECT);
    }

    public ListenerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(clients, "clients");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535");
        }
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || maxRequestBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
