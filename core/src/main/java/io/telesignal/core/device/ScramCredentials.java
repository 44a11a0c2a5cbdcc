package io.telesignal.core.device;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** RFC 5802 §3 / RFC 7677: what a SCRAM server keeps instead of the password, for one {@link ScramAlgorithm}. */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    public ScramCredentials {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
        if (iterations < 4096) {
            throw new IllegalArgumentException("RFC 7677 §4: at least 4096 iterations");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredentials that
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(storedKey, that.storedKey)
                && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey), Arrays.hashCode(serverKey));
    }

    @Override
    public String toString() {
        return "ScramCredentials[iterations=" + iterations + ", salt=" + HexFormat.of().formatHex(salt) + "]";
    }
}
