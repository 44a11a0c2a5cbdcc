package io.telesignal.core.consultation;

import io.telesignal.core.routing.CoreEvent;
import java.util.List;

/** Sent to every admitted attendee: who is in the consultation now. */
public record ParticipantsChanged(ConsultationId consultation, ConsultationState state, List<Attendee> admitted,
        long version) implements CoreEvent {
    public ParticipantsChanged {
        admitted = List.copyOf(admitted);
    }

    @Override
    public String type() {
        return "participant";
    }
}
