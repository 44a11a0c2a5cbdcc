package io.telesignal.core.presence;

import io.telesignal.core.identity.UserId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A user's aggregated presence: the highest-ranked status over their endpoints ({@link PresenceStatus}),
 * with the note of the most recently updated endpoint holding that status; offline with no endpoints.
 */
public record UserPresence(UserId user, Presence presence, int endpoints) {
    public UserPresence {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(presence, "presence");
    }

    public static UserPresence aggregate(UserId user, List<EndpointPresence> entries) {
        return entries.stream()
                .min(Comparator.comparing((EndpointPresence e) -> e.presence().status())
                        .thenComparing(EndpointPresence::updatedAt, Comparator.reverseOrder()))
                .map(best -> new UserPresence(user, best.presence(), entries.size()))
                .orElseGet(() -> new UserPresence(user, Presence.OFFLINE, 0));
    }

    /** Whether a watcher would see a difference (the endpoint count alone is not one). */
    public boolean differsFrom(UserPresence other) {
        return !presence.equals(other.presence);
    }
}
