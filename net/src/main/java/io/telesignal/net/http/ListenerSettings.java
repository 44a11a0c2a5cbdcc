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
 */
public record ListenerSettings(String host, int port, boolean tls, int maxConnections, int maxConnectionsPerIp,
        int maxRequestBytes, Duration idleTimeout) {
    public ListenerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535");
        }
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || maxRequestBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
