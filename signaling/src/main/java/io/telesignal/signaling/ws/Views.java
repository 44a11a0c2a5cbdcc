package io.telesignal.signaling.ws;

import io.telesignal.core.call.CallSignal;
import io.telesignal.core.consultation.AdmissionChanged;
import io.telesignal.core.consultation.Attendee;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ParticipantsChanged;
import io.telesignal.core.consultation.WaitingRoomChanged;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.signaling.protocol.ClientMessage;
import io.telesignal.signaling.protocol.JsonString;
import io.telesignal.signaling.protocol.ServerMessage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Core values and events as protocol messages. Pure functions. */
public final class Views {
    private Views() {}

    public static ServerMessage.ParticipantView participant(Attendee attendee) {
        return new ServerMessage.ParticipantView(attendee.user().value(), attendee.displayName(),
                attendee.role().wireName(), attendee.status().name().toLowerCase(Locale.ROOT),
                attendee.since().toString(), attendee.endpoints().stream().map(EndpointId::value).sorted().toList(),
                attendee.awaySince().map(Object::toString).orElse(null), attendee.invited() ? Boolean.TRUE : null);
    }

    /** A consultation as its viewer may see it: the waiting room only for its providers. */
    public static ServerMessage.ConsultationView consultation(Consultation c, UserId viewer) {
        boolean provider = c.attendee(viewer).map(a -> a.role() == Role.PROVIDER)
                .orElse(c.listedRole(viewer).map(r -> r == Role.PROVIDER).orElse(false));
        return new ServerMessage.ConsultationView(c.id().value(), c.state().wireName(),
                c.admitted().stream().map(Views::participant).toList(),
                provider ? c.waiting().stream().map(Views::participant).toList() : List.of(), null, c.version());
    }

    /** The same, with the recent chat (for an admitted participant). */
    public static ServerMessage.ConsultationView consultation(Consultation c, UserId viewer,
            List<io.telesignal.core.chat.ChatMessage> chat) {
        ServerMessage.ConsultationView view = consultation(c, viewer);
        return new ServerMessage.ConsultationView(view.id(), view.state(), view.participants(), view.waiting(),
                chat.stream().map(Views::chat).toList(), view.version());
    }

    public static ServerMessage.ChatView chat(io.telesignal.core.chat.ChatMessage m) {
        return new ServerMessage.ChatView(m.id(), m.from().value(), m.fromName(), m.text(), m.at().toString());
    }

    /** The message for a core event, or empty for events this front door does not show. */
    public static Optional<ServerMessage> event(CoreEvent event) {
        if (event instanceof ParticipantsChanged p) {
            return Optional.of(new ServerMessage.Participants(p.consultation().value(), p.state().wireName(),
                    p.admitted().stream().map(Views::participant).toList(), p.version()));
        }
        if (event instanceof WaitingRoomChanged w) {
            return Optional.of(new ServerMessage.WaitingRoom(w.consultation().value(),
                    w.waiting().stream().map(Views::participant).toList(), w.version()));
        }
        if (event instanceof AdmissionChanged a) {
            return Optional.of(new ServerMessage.Admission(a.consultation().value(), a.status().wireName()));
        }
        if (event instanceof io.telesignal.core.chat.ChatPosted posted) {
            return Optional.of(new ServerMessage.Chat(posted.message().consultation().value(), chat(posted.message())));
        }
        if (event instanceof CallSignal s) {
            return Optional.of(new ServerMessage.SignalRelay(s.consultation().value(), s.from().value(),
                    s.fromEndpoint().value(),
                    s.description() == null ? null
                            : new ServerMessage.RelayedDescription(s.description().type(), s.description().sdp() == null ? null
                                    : JsonString.relayed(s.description().sdp(), s.description().sdpJson())),
                    s.candidate() == null ? null : new ClientMessage.Candidate(s.candidate().candidate(),
                            s.candidate().sdpMid(), s.candidate().sdpMLineIndex(), s.candidate().usernameFragment()),
                    s.restart() ? Boolean.TRUE : null,
                    s.hangup() == null ? null : new ClientMessage.Hangup(s.hangup().reason())));
        }
        return Optional.empty();
    }
}
