package io.telesignal.core.identity;

import java.util.Objects;
import java.util.UUID;

/** A user's stable id: never reused, never changes when the login or display name does. */
public record UserId(String value) {
    public UserId {
        Objects.requireNonNull(value, "value");
        if (!IdForm.matches(value)) {
            throw new IllegalArgumentException("user id must be 1-64 characters of [A-Za-z0-9._-]");
        }
    }

    public static UserId random() {
        return new UserId("u" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    }

    @Override
    public String toString() {
        return value;
    }
}
