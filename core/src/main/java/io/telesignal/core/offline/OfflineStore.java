package io.telesignal.core.offline;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;

/**
 * Storage SPI for messages kept until their user connects (XEP-0160): in memory here, JDBC in store (sealed at rest).
 * A connection that delivers them first claims a batch for a while (so that two connections of the user, on any nodes,
 * never both deliver one message), sends them, then deletes them; a claim that lapses (its connection died) frees its
 * messages for the next one. Blocking.
 */
public interface OfflineStore {
    /**
     * Keeps one; false when the user has {@code limit} kept already.
     *
     * @throws IllegalArgumentException a stanza larger than {@link OfflineMessage#MAX_STANZA} bytes
     */
    boolean keep(UserId owner, String stanza, Instant at, int limit);

    /**
     * Claims for {@code claimer} until {@code until} at most {@code max} of the user's oldest messages that nobody
     * holds a live claim on; answers them, oldest first.
     */
    List<OfflineMessage> claim(UserId owner, String claimer, Instant now, Instant until, int max);

    /** Deletes these messages of the user (delivered); answers how many. */
    int delete(UserId owner, List<Long> seqs);

    /** Gives up {@code claimer}'s claims (its connection could not take them): the next connection gets them. */
    void release(UserId owner, String claimer);

    /** Deletes every message kept before {@code cutoff}; answers how many. */
    int purgeBefore(Instant cutoff);
}
