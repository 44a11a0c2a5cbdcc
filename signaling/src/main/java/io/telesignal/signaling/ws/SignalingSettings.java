package io.telesignal.signaling.ws;

import io.telesignal.net.websocket.WebSocketSettings;
import io.telesignal.signaling.session.SessionSettings;
import java.time.Duration;
import java.util.Objects;

/** Limits and timers of the {@code /ws} front door; every one is a configuration key (docs/configuration.md). */
public record SignalingSettings(WebSocketSettings webSocket, SessionSettings sessions, Duration helloTimeout,
        RateLimitSettings rateLimits) {
    public SignalingSettings {
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(webSocket, "webSocket");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(helloTimeout, "helloTimeout");
    }
}
