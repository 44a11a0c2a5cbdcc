package io.telesignal.signaling.ws;

import io.telesignal.net.websocket.WebSocketSettings;
import io.telesignal.signaling.session.SessionSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of the {@code /ws} front door; every one is a configuration key (docs/configuration.md).
 *
 * @param peerMoves how often at most a connection moves to the event loop of the peer it signals; empty: never
 */
public record SignalingSettings(WebSocketSettings webSocket, SessionSettings sessions, Duration helloTimeout,
        RateLimitSettings rateLimits, java.util.Optional<Duration> peerMoves) {
    public SignalingSettings {
        Objects.requireNonNull(peerMoves, "peerMoves");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(webSocket, "webSocket");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(helloTimeout, "helloTimeout");
    }
}
