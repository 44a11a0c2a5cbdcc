package io.telesignal.cluster.redis;

import io.telesignal.core.DomainException;

/** Redis could not be reached (at start, or for a command while it is away). */
public final class RedisUnavailableException extends DomainException {
    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "cluster_unavailable";
    }
}
