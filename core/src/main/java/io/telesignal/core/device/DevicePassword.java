package io.telesignal.core.device;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One device password of a user, as stored: its id, label, the SIP digest and SCRAM material derived from it, and
 * when it was created and last used. Never the password itself. {@code scramSha1} is empty for a device password
 * created before SCRAM-SHA-1 material was kept (it then signs in with SCRAM-SHA-256 or PLAIN only).
 */
public record DevicePassword(String id, UserId user, String label, SipDigestCredentials sipDigest,
        ScramCredentials scram, Optional<ScramCredentials> scramSha1, Instant createdAt, Optional<Instant> lastUsedAt) {
    public static final int MAX_LABEL = 64;

    public DevicePassword {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(sipDigest, "sipDigest");
        Objects.requireNonNull(scram, "scram");
        Objects.requireNonNull(scramSha1, "scramSha1");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }

    public DevicePassword usedAt(Instant at) {
        return new DevicePassword(id, user, label, sipDigest, scram, scramSha1, createdAt, Optional.of(at));
    }

    /** The SCRAM material for {@code algorithm}, if this device password has it. */
    public Optional<ScramCredentials> scram(ScramAlgorithm algorithm) {
        return algorithm == ScramAlgorithm.SHA_256 ? Optional.of(scram) : scramSha1;
    }

    @Override
    public String toString() {
        return "DevicePassword[id=" + id + ", user=" + user.value() + "]";
    }
}
