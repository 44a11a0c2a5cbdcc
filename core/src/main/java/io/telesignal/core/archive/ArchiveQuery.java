package io.telesignal.core.archive;

import java.time.Instant;
import java.util.Optional;

/**
 * A page of a user's archive (XEP-0313 with XEP-0059 paging): optionally only the messages with one address and within
 * a time range; after an id (the next page) or before one (the previous page; {@code before} empty and present means
 * the last page); at most {@code max}.
 */
public record ArchiveQuery(Optional<String> with, Optional<Instant> start, Optional<Instant> end, Optional<String> after,
        Optional<String> before, int max) {
    public static final int MAX_PAGE = 250;

    public ArchiveQuery {
        if (max < 0 || max > MAX_PAGE) {
            throw new IllegalArgumentException("a page holds 0 to " + MAX_PAGE + " messages");
        }
        if (after.isPresent() && before.isPresent()) {
            throw new IllegalArgumentException("after or before, not both");
        }
    }

    /** One page: the messages in archive order, whether it reaches the end in its direction, and how many match. */
    public record Page(java.util.List<ArchivedMessage> messages, boolean complete, int count) {}
}
