package io.telesignal.core.offline;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * A message kept for a user who had no connection to take it (XEP-0160): the front door's own serialised form
 * ({@code stanza}) and when it was kept, in arrival order ({@code seq}).
 */
public record OfflineMessage(long seq, UserId owner, String stanza, Instant storedAt) {
    /** The largest stanza kept, in UTF-8 bytes: sealed at rest it still fits its column. */
    public static final int MAX_STANZA = 700_000;

    public OfflineMessage {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(storedAt, "storedAt");
        if (stanza.length() > MAX_STANZA || stanza.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STANZA) {
            throw new IllegalArgumentException("offline message larger than " + MAX_STANZA + " bytes");
        }
    }

    /** Ids only: the stanza holds the message text. */
    @Override
    public String toString() {
        return "OfflineMessage[seq=" + seq + ", owner=" + owner.value() + "]";
    }
}
