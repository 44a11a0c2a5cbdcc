package io.telesignal.core.presence;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;

/** One endpoint's presence and when it was set. */
public record EndpointPresence(EndpointId endpoint, UserId user, Presence presence, Instant updatedAt) {
    public EndpointPresence {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
