package io.telesignal.core.offline;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;

/**
 * Storage SPI for messages kept until their user connects (XEP-0160): in memory here, JDBC in store (sealed at rest).
 * Delivery is at least once: a door lists the user's messages, sends them, then deletes the ones it sent. Blocking.
 */
public interface OfflineStore {
    /**
     * Keeps one; false when the user has {@code limit} kept already.
     *
     * @throws IllegalArgumentException a stanza larger than {@link OfflineMessage#MAX_STANZA} bytes
     */
    boolean keep(UserId owner, String stanza, Instant at, int limit);

    /** The user's oldest {@code max} messages, oldest first. */
    List<OfflineMessage> oldest(UserId owner, int max);

    /** Deletes the user's messages up to and including {@code seq}; answers how many. */
    int deleteUpTo(UserId owner, long seq);

    /** Deletes every message kept before {@code cutoff}; answers how many. */
    int purgeBefore(Instant cutoff);
}
