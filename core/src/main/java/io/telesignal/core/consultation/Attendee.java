package io.telesignal.core.consultation;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Someone who joined: their display name (shown to participants, never logged), their role in this consultation, whether they wait or are admitted (and since when),
 * and the endpoints they joined from.
 */
public record Attendee(UserId user, String displayName, Role role, Status status, Instant since,
        Set<EndpointId> endpoints) {
    public enum Status {
        WAITING,
        ADMITTED
    }

    public Attendee {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        endpoints = Set.copyOf(endpoints);
    }

    public boolean admitted() {
        return status == Status.ADMITTED;
    }

    Attendee withEndpoints(Set<EndpointId> newEndpoints) {
        return new Attendee(user, displayName, role, status, since, newEndpoints);
    }

    Attendee admittedAt(Instant at) {
        return new Attendee(user, displayName, role, Status.ADMITTED, at, endpoints);
    }
}
