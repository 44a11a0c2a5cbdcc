package io.telesignal.core.directory;

import java.util.List;

/**
 * Hashes new passwords with the configured hasher and verifies stored hashes with whichever hasher wrote
 * them, so that switching algorithm (or raising parameters) never locks anybody out.
 */
public final class PasswordHashes {
    private final PasswordHasher current;
    private final List<PasswordHasher> known;

    public PasswordHashes(PasswordHasher current, List<PasswordHasher> others) {
        this.current = current;
        this.known = java.util.stream.Stream.concat(java.util.stream.Stream.of(current), others.stream()).toList();
    }

    public String hash(char[] password) {
        return current.hash(password);
    }

    public boolean verify(char[] password, String encoded) {
        for (PasswordHasher hasher : known) {
            if (encoded.startsWith("$" + hasher.id() + "$")) {
                return hasher.verify(password, encoded);
            }
        }
        return false;
    }
}
