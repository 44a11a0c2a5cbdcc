package io.telesignal.core.archive;

import io.telesignal.core.identity.UserId;
import java.time.Instant;

/**
 * Storage SPI for message archives (XEP-0313): in memory here, JDBC in store (stanzas sealed at rest). Archive order is
 * insertion order. Blocking.
 */
public interface ArchiveStore {
    /** Adds one; its id is the caller's (unique). */
    void append(ArchivedMessage message);

    /** Adds several, in order, at once where the store can (one transaction). */
    default void appendAll(java.util.List<ArchivedMessage> messages) {
        for (ArchivedMessage message : messages) {
            append(message);
        }
    }

    /**
     * A page of the owner's archive.
     *
     * @throws ArchiveItemNotFoundException {@code after} or {@code before} names no message of the owner's
     */
    ArchiveQuery.Page query(UserId owner, ArchiveQuery query);

    /** Deletes every message archived before {@code cutoff}; answers how many. */
    int purgeBefore(Instant cutoff);

    /** The owner's archiving preferences (XEP-0313 §8); {@link ArchivePrefs#defaults} when never set. */
    ArchivePrefs prefs(UserId owner);

    /** Replaces the owner's archiving preferences. */
    void setPrefs(ArchivePrefs prefs);

    /** A paging id that is not in the archive (XEP-0313 §5.1.2: item-not-found). */
    final class ArchiveItemNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ArchiveItemNotFoundException() {
            super("no such archive id", null, false, false);
        }
    }
}
