package io.telesignal.core.testkit;

import io.telesignal.core.directory.Credentials;
import io.telesignal.core.directory.ScramCredentials;
import io.telesignal.core.directory.SipDigestCredentials;
import java.time.Instant;

/** Fixed, obviously fake credential values for storage tests that do not exercise derivation. */
public final class TestCredentials {
    private TestCredentials() {}

    public static Credentials sample(String marker, Instant at) {
        byte[] salt = new byte[16];
        byte[] stored = new byte[32];
        byte[] server = new byte[32];
        for (int i = 0; i < 32; i++) {
            stored[i] = (byte) (i + marker.length());
            server[i] = (byte) (31 - i);
        }
        return new Credentials("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + marker,
                new SipDigestCredentials("telesignal", "md5-" + marker, "sha256-" + marker),
                new ScramCredentials(salt, 4096, stored, server), at);
    }
}
