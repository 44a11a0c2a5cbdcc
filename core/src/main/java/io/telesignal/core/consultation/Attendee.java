package io.telesignal.core.consultation;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Someone who joined: their display name (shown to participants, never logged), their role in this consultation,
 * whether they wait or are admitted (and since when), and the endpoints they joined from.
 *
 * <p>An attendee whose every endpoint was <em>lost</em> (the node holding it died or restarted, so the client could
 * not say goodbye) keeps their place, with no endpoints, {@code awaySince} the moment the last one was lost: coming
 * back from a fresh endpoint within the consultation's rejoin grace puts them straight back where they were
 * (admitted, or waiting), instead of into the waiting room again. An attendee who leaves is simply gone.
 *
 * <p>{@code invited}: they came through an invite link rather than being named when the consultation was made.
 */
public record Attendee(UserId user, String displayName, Role role, Status status, Instant since,
        Set<EndpointId> endpoints, Optional<Instant> awaySince, boolean invited) {
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
        Objects.requireNonNull(awaySince, "awaySince");
        endpoints = Set.copyOf(endpoints);
        if (awaySince.isPresent() != endpoints.isEmpty()) {
            throw new IllegalArgumentException("an attendee is away exactly when they have no endpoint");
        }
    }

    /** Someone on the list, present from the given endpoints. */
    public Attendee(UserId user, String displayName, Role role, Status status, Instant since, Set<EndpointId> endpoints) {
        this(user, displayName, role, status, since, endpoints, Optional.empty(), false);
    }

    public boolean admitted() {
        return status == Status.ADMITTED;
    }

    /** Whether every endpoint was lost and the attendee has not come back yet. */
    public boolean away() {
        return awaySince.isPresent();
    }

    /** The same attendee on these endpoints; with none left they are away from {@code now}. */
    Attendee withEndpoints(Set<EndpointId> newEndpoints, Instant now) {
        return new Attendee(user, displayName, role, status, since, newEndpoints,
                newEndpoints.isEmpty() ? Optional.of(awaySince.orElse(now)) : Optional.empty(), invited);
    }

    Attendee admittedAt(Instant at) {
        return new Attendee(user, displayName, role, Status.ADMITTED, at, endpoints, awaySince, invited);
    }
}
