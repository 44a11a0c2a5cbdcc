package io.telesignal.core.directory;

import java.time.Instant;
import java.util.Objects;

/**
 * An account's sign-in secret as stored: the Argon2id (or PBKDF2) hash of its password, never the password. SIP and
 * XMPP material comes from device passwords ({@link io.telesignal.core.device}), never from this password.
 */
public record Credentials(String passwordHash, Instant updatedAt) {
    public Credentials {
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    @Override
    public String toString() {
        return "Credentials[updatedAt=" + updatedAt + "]";
    }
}
