package io.telesignal.core.blocking;

import io.telesignal.core.identity.UserId;
import java.util.Collection;
import java.util.List;

/**
 * Storage SPI for block lists (XEP-0191): the addresses a user blocks (a bare JID, a full JID or a domain), in the
 * order they were blocked; in memory here, JDBC in store. Blocking an address held already changes nothing. Blocking.
 */
public interface BlockStore {
    /** The longest address kept. */
    int MAX_JID = 500;

    List<String> blocked(UserId owner);

    /** Of these owners, those whose lists hold at least one of these addresses (one lookup for many owners). */
    java.util.Set<UserId> blockers(Collection<UserId> owners, Collection<String> addresses);

    /** Adds these addresses; false, and nothing changed, when the list would then hold more than {@code max}. */
    boolean block(UserId owner, Collection<String> jids, int max);

    /** Removes these addresses (every one when {@code jids} is empty); answers those that were there. */
    List<String> unblock(UserId owner, Collection<String> jids);
}
