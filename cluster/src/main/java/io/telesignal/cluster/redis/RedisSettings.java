package io.telesignal.cluster.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis.
 *
 * @param uri       {@code redis://[:password@]host:6379/0}, {@code rediss://...} for TLS, or
 *                  {@code redis-sentinel://host1:26379,host2:26379/0#mymaster} for a primary behind Sentinel
 * @param keyPrefix put before every key, so that several deployments (or tests) share one Redis
 * @param timeout   how long one command may take before it fails
 */
public record RedisSettings(String uri, String keyPrefix, Duration timeout) {
    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(timeout, "timeout");
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !uri.startsWith("redis-sentinel://")) {
            throw new IllegalArgumentException("the Redis URI must start with redis://, rediss:// or redis-sentinel://");
        }
        if (!keyPrefix.matches("[A-Za-z0-9_.:-]{0,64}")) {
            throw new IllegalArgumentException("the key prefix must be at most 64 characters of [A-Za-z0-9_.:-]");
        }
    }

    @Override
    public String toString() {
        return "RedisSettings[uri=" + uri.replaceAll("//[^@/]*@", "//***@") + ", keyPrefix=" + keyPrefix + "]";
    }
}
