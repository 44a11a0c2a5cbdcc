package io.telesignal.core.consultation;

import io.telesignal.core.routing.CoreEvent;
import java.util.List;

/** Sent to admitted providers: who waits, since when. */
public record WaitingRoomChanged(ConsultationId consultation, List<Attendee> waiting, long version) implements CoreEvent {
    public WaitingRoomChanged {
        waiting = List.copyOf(waiting);
    }

    @Override
    public String type() {
        return "waiting-room";
    }
}
