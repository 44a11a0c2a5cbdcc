package io.telesignal.core.consultation;

import java.util.Locale;

/** Lifecycle: scheduled (start time in the future) → open → in_progress (two or more admitted) → ended. */
public enum ConsultationState {
    SCHEDULED,
    OPEN,
    IN_PROGRESS,
    ENDED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
