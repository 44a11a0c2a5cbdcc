package io.telesignal.core.device;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One device password of a user, as stored: its id, label, the SIP digest and SCRAM material derived from it, and
 * when it was created and last used. Never the password itself.
 */
public record DevicePassword(String id, UserId user, String label, SipDigestCredentials sipDigest,
        ScramCredentials scram, Instant createdAt, Optional<Instant> lastUsedAt) {
    public static final int MAX_LABEL = 64;

    public DevicePassword {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(sipDigest, "sipDigest");
        Objects.requireNonNull(scram, "scram");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }

    public DevicePassword usedAt(Instant at) {
        return new DevicePassword(id, user, label, sipDigest, scram, createdAt, Optional.of(at));
    }

    @Override
    public String toString() {
        return "DevicePassword[id=" + id + ", user=" + user.value() + "]";
    }
}
