package io.telesignal.core.consultation;

import io.telesignal.core.routing.CoreEvent;
import java.util.Locale;

/** Sent to one attendee: where they stand in the consultation now. */
public record AdmissionChanged(ConsultationId consultation, Status status) implements CoreEvent {
    public enum Status {
        WAITING,
        ADMITTED,
        DENIED,
        REMOVED,
        ENDED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String type() {
        return "admission";
    }
}
