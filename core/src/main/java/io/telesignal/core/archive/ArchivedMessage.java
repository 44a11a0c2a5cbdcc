package io.telesignal.core.archive;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * One message in a user's archive (XEP-0313): its archive id (also the XEP-0359 stanza id the user saw), the other
 * party's bare address, the door's serialised stanza, and when it was archived.
 */
public record ArchivedMessage(String id, UserId owner, String with, String stanza, Instant at) {
    public static final int MAX_ID = 32;

    public ArchivedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(with, "with");
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(at, "at");
        if (id.isEmpty() || id.length() > MAX_ID || with.length() > 1023) {
            throw new IllegalArgumentException("archive id or address too long");
        }
        if (stanza.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > io.telesignal.core.offline.OfflineMessage.MAX_STANZA) {
            throw new IllegalArgumentException("archived stanza too large");
        }
    }

    /** Ids only: the stanza holds the message text. */
    @Override
    public String toString() {
        return "ArchivedMessage[id=" + id + ", owner=" + owner.value() + "]";
    }
}
