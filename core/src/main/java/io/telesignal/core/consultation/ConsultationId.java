package io.telesignal.core.consultation;

import java.util.Objects;
import java.util.UUID;

/** A consultation's id: opaque, URL-safe, never reused. */
public record ConsultationId(String value) {
    public ConsultationId {
        Objects.requireNonNull(value, "value");
        if (!io.telesignal.core.identity.IdForm.matches(value)) {
            throw new IllegalArgumentException("consultation id must be 1-64 characters of [A-Za-z0-9._-]");
        }
    }

    public static ConsultationId random() {
        return new ConsultationId("c" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    }

    @Override
    public String toString() {
        return value;
    }
}
