package io.telesignal.core.testkit;

import io.telesignal.core.directory.Credentials;
import java.time.Instant;

/** Fixed, obviously fake credential values for storage tests that do not exercise hashing. */
public final class TestCredentials {
    private TestCredentials() {}

    public static Credentials sample(String marker, Instant at) {
        return new Credentials("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$" + marker, at);
    }
}
