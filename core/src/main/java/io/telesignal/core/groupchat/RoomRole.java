package io.telesignal.core.groupchat;

import java.util.Locale;
import java.util.Optional;

/** An occupant's standing for as long as it is in the room (XEP-0045 §5.1). */
public enum RoomRole {
    MODERATOR, PARTICIPANT, VISITOR, NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RoomRole> fromWireName(String name) {
        for (RoomRole r : values()) {
            if (r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The role an affiliation enters with (XEP-0045 §5.1.2): visitors only in moderated rooms. */
    public static RoomRole entering(Affiliation affiliation, boolean moderated) {
        return switch (affiliation) {
            case OWNER, ADMIN -> MODERATOR;
            case MEMBER -> PARTICIPANT;
            case NONE -> moderated ? VISITOR : PARTICIPANT;
            case OUTCAST -> NONE;
        };
    }
}
