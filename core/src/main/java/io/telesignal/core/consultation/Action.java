package io.telesignal.core.consultation;

import java.util.Locale;

/** What someone may try to do with a consultation; every attempt is decided by {@link ConsultationPolicy}. */
public enum Action {
    CREATE,
    VIEW,
    JOIN,
    LEAVE,
    ADMIT,
    DENY,
    REMOVE,
    INVITE,
    END,
    SIGNAL,
    CHAT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
