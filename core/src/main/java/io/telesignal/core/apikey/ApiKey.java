package io.telesignal.core.apikey;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A stored API key: never its secret, only the secret's SHA-256. The name is an operator's label. */
public record ApiKey(String id, String name, String secretHash, Instant createdAt, Optional<Instant> revokedAt) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean active() {
        return revokedAt.isEmpty();
    }
}
