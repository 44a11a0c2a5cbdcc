package io.telesignal.core.presence;

import io.telesignal.core.routing.CoreEvent;

/** A user's aggregated presence changed. */
public record PresenceChanged(UserPresence before, UserPresence after) implements CoreEvent {
    @Override
    public String type() {
        return "presence";
    }
}
