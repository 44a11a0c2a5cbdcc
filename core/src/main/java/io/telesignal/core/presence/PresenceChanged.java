package io.telesignal.core.presence;

import io.telesignal.core.routing.CoreEvent;

/**
 * A user's aggregated presence changed. {@code version} orders changes of one user: an event with a version
 * not above the last one seen is stale and must be dropped.
 */
public record PresenceChanged(UserPresence before, UserPresence after, long version) implements CoreEvent {
    @Override
    public String type() {
        return "presence";
    }
}
