package io.telesignal.signaling.ws;

/**
 * Message rate limits of {@code /ws}: token buckets per connection and per remote address, each refilled at
 * {@code perSecond} up to {@code burst}.
 */
public record RateLimitSettings(int connectionPerSecond, int connectionBurst, int addressPerSecond, int addressBurst) {
    public RateLimitSettings {
        if (connectionPerSecond < 1 || connectionBurst < connectionPerSecond || addressPerSecond < 1
                || addressBurst < addressPerSecond) {
            throw new IllegalArgumentException("rates must be positive and bursts at least the rate");
        }
    }
}
