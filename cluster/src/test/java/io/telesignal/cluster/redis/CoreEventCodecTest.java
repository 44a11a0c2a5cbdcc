package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.call.CallSignal;
import io.telesignal.core.chat.ChatMessage;
import io.telesignal.core.chat.ChatPosted;
import io.telesignal.core.consultation.AdmissionChanged;
import io.telesignal.core.consultation.Attendee;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationState;
import io.telesignal.core.consultation.ParticipantsChanged;
import io.telesignal.core.consultation.WaitingRoomChanged;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.presence.Presence;
import io.telesignal.core.presence.PresenceChanged;
import io.telesignal.core.presence.PresenceStatus;
import io.telesignal.core.presence.UserPresence;
import io.telesignal.core.routing.CoreEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoreEventCodecTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    private final CoreEventCodec codec = new CoreEventCodec();

    private CoreEvent roundTrip(CoreEvent event) throws Exception {
        String text = codec.json().writeValueAsString(codec.encode(event));
        return codec.decode(codec.json().readTree(text));
    }

    @Test
    void everyKindOfEventCrossesWhole() throws Exception {
        ConsultationId c = new ConsultationId("c1");
        Attendee present = new Attendee(new UserId("u1"), "Dr Ünïcode \"Q\"", Role.PROVIDER, Attendee.Status.ADMITTED,
                T0, Set.of(new EndpointId("websocket-s1"), new EndpointId("sip-f1")));
        Attendee away = new Attendee(new UserId("u2"), "Pat", Role.PATIENT, Attendee.Status.WAITING, T0, Set.of(),
                Optional.of(T0.plusSeconds(5)), true);
        List<CoreEvent> events = List.of(
                new ParticipantsChanged(c, ConsultationState.IN_PROGRESS, List.of(present, away), 7),
                new WaitingRoomChanged(c, List.of(away), 8),
                new AdmissionChanged(c, AdmissionChanged.Status.REMOVED),
                new ChatPosted(new ChatMessage("m1", c, new UserId("u1"), "Dr", "line ✓\n\"quoted\"", T0,
                        Optional.of("k1"))),
                new CallSignal(c, new UserId("u1"), new EndpointId("websocket-s1"),
                        new CallSignal.Description("offer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", "\"v=0\\r\\no=- 1 1 IN IP4 0.0.0.0\\r\\n\""),
                        null, false, null),
                new CallSignal(c, new UserId("u1"), new EndpointId("websocket-s1"), null,
                        new CallSignal.Candidate("candidate:1 1 udp 1 192.0.2.1 5000 typ host", "0", 0, "uf"), false, null),
                new CallSignal(c, new UserId("u1"), new EndpointId("websocket-s1"), null, null, false,
                        new CallSignal.Hangup("done")),
                new PresenceChanged(new UserPresence(new UserId("u1"), new Presence(PresenceStatus.AVAILABLE, ""), 1),
                        new UserPresence(new UserId("u1"), new Presence(PresenceStatus.BUSY, "in a call"), 2), 42),
                new io.telesignal.core.routing.DoorMessage(io.telesignal.core.identity.FrontDoor.XMPP, "stanza",
                        "<message xmlns=\"jabber:client\"><body>h\u00e9 &amp; \"q\"</body></message>"));
        for (CoreEvent event : events) {
            assertThat(roundTrip(event)).as(event.getClass().getSimpleName()).isEqualTo(event);
        }
    }

    @Test
    void onlyKnownKindsAreRead() throws Exception {
        assertThatThrownBy(() -> codec.decode(codec.json().readTree("{\"kind\":\"java.lang.Runtime\",\"event\":{}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown event kind");
        assertThatThrownBy(() -> codec.decode(codec.json().readTree("{\"kind\":\"admission\",\"event\":{\"consultation\":{\"value\":\"c1\"},\"status\":1}}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
