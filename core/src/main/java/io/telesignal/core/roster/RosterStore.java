package io.telesignal.core.roster;

import io.telesignal.core.identity.UserId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Storage SPI for rosters (RFC 6121 §2): in memory here, JDBC in store (names and groups sealed at rest). Every change
 * raises the owner's roster version by one, atomically with it, so a client holding version {@code n} has seen every
 * change up to {@code n} (RFC 6121 §2.6). Blocking.
 */
public interface RosterStore {
    /** The user's items, hidden ones included, in contact order. */
    List<RosterItem> items(UserId owner);

    /** The user's roster version: 0 before any change. */
    long version(UserId owner);

    Optional<RosterItem> find(UserId owner, String contact);

    /**
     * Adds or replaces the item; answers the new version, or empty when the user has {@code limit} items already
     * and this one is new.
     */
    OptionalLong put(RosterItem item, int limit);

    /** Removes it; answers the new version, or empty when there was no such item. */
    OptionalLong remove(UserId owner, String contact);
}
