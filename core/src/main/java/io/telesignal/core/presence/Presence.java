package io.telesignal.core.presence;

import java.util.Objects;

/** A status with an optional free-text note (at most {@value #MAX_NOTE} characters). */
public record Presence(PresenceStatus status, String note) {
    public static final int MAX_NOTE = 256;
    public static final Presence OFFLINE = new Presence(PresenceStatus.OFFLINE, "");

    public Presence {
        Objects.requireNonNull(status, "status");
        note = note == null ? "" : note;
        if (note.length() > MAX_NOTE) {
            throw new IllegalArgumentException("presence note longer than " + MAX_NOTE + " characters");
        }
    }
}
