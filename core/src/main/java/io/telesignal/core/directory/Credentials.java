package io.telesignal.core.directory;

import java.time.Instant;
import java.util.Objects;

/** Everything derived from one password; the password itself is never kept. */
public record Credentials(String passwordHash, SipDigestCredentials sipDigest, ScramCredentials scram, Instant updatedAt) {
    public Credentials {
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(sipDigest, "sipDigest");
        Objects.requireNonNull(scram, "scram");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    @Override
    public String toString() {
        return "Credentials[realm=" + sipDigest.realm() + ", updatedAt=" + updatedAt + "]";
    }
}
