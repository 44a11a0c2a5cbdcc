package io.telesignal.core.presence;

import java.util.Locale;

/**
 * A presence status. The declaration order is the aggregation rank, highest first: a user with one
 * endpoint in do-not-disturb and another available is {@code DND}. An explicit "leave me alone" from any
 * device outranks availability, and being in a call (busy) on one device outranks idling on another.
 */
public enum PresenceStatus {
    DND,
    BUSY,
    AVAILABLE,
    AWAY,
    /** The endpoint's connection dropped and it may resume: not reachable now, probably soon. */
    RECONNECTING,
    OFFLINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PresenceStatus fromWireName(String name) {
        for (PresenceStatus status : values()) {
            if (status.wireName().equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown presence status '" + name + "'");
    }
}
