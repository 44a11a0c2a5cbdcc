package io.telesignal.net.websocket;

import io.telesignal.net.metrics.FrontDoorMetrics;
import java.util.Objects;

/**
 * A registered WebSocket path: the subprotocol it requires, its limits, its endpoint, and the front door its
 * connections and messages are counted for.
 */
public record WebSocketRoute(String path, String subprotocol, WebSocketSettings settings, WebSocketEndpoint endpoint,
        FrontDoorMetrics metrics) {
    public WebSocketRoute {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(subprotocol, "subprotocol");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(metrics, "metrics");
    }
}
