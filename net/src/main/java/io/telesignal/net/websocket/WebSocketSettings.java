package io.telesignal.net.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one WebSocket endpoint.
 *
 * @param maxMessageBytes largest message, after reassembly of fragments; beyond it the connection is closed 1009
 * @param pingInterval    how often the server pings an otherwise quiet connection
 * @param idleTimeout     a connection that sends nothing (not even a pong) for this long is closed 1001
 * @param fragmentTimeout a message sent in fragments must be finished this long after its first fragment, or the
 *                        connection is closed 1008 (what it held is freed)
 */
public record WebSocketSettings(int maxMessageBytes, Duration pingInterval, Duration idleTimeout,
        Duration fragmentTimeout) {
    public static final Duration DEFAULT_FRAGMENT_TIMEOUT = Duration.ofSeconds(10);

    public WebSocketSettings(int maxMessageBytes, Duration pingInterval, Duration idleTimeout) {
        this(maxMessageBytes, pingInterval, idleTimeout, DEFAULT_FRAGMENT_TIMEOUT);
    }

    public WebSocketSettings {
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(fragmentTimeout, "fragmentTimeout");
        if (fragmentTimeout.isNegative() || fragmentTimeout.isZero()) {
            throw new IllegalArgumentException("fragmentTimeout must be positive");
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive");
        }
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout must be longer than pingInterval");
        }
    }
}
