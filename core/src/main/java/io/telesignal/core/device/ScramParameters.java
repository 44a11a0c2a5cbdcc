package io.telesignal.core.device;

import java.util.Arrays;
import java.util.Objects;

/**
 * The salt and iteration count all of one user's device passwords are derived with. A SCRAM server announces them
 * (RFC 5802 §5.1, server-first-message) before it knows which device is speaking, so they are the user's, not
 * the device's: the client's proof is then checked against each device's StoredKey.
 */
public record ScramParameters(byte[] salt, int iterations) {
    public ScramParameters {
        Objects.requireNonNull(salt, "salt");
        if (iterations < 4096) {
            throw new IllegalArgumentException("RFC 7677 §4: at least 4096 iterations");
        }
        salt = salt.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramParameters that && iterations == that.iterations && Arrays.equals(salt, that.salt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        return "ScramParameters[iterations=" + iterations + "]";
    }
}
