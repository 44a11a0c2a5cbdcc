package io.telesignal.core.groupchat;

import java.util.Locale;
import java.util.Optional;

/** A user's lasting standing in a room (XEP-0045 §5.2), highest first. */
public enum Affiliation {
    OWNER, ADMIN, MEMBER, NONE, OUTCAST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Affiliation> fromWireName(String name) {
        for (Affiliation a : values()) {
            if (a.wireName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Owners and admins: they moderate and manage the member and outcast lists. */
    public boolean administers() {
        return this == OWNER || this == ADMIN;
    }
}
