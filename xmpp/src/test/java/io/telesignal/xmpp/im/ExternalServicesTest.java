package io.telesignal.xmpp.im;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.call.IceServers;
import io.telesignal.core.identity.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** XEP-0215 services from the ice.* configuration: the web door's TURN credentials, as XMPP clients read them. */
class ExternalServicesTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
    private final IceServers ice = new IceServers(List.of("stun:stun.clinic.example"),
            List.of("turn:turn.clinic.example:3478?transport=udp", "turns:turn.clinic.example"), "a shared turn secret",
            Duration.ofHours(12), clock);

    @Test
    void stunAndTurnWithTheSameEphemeralCredentials() {
        ExternalServices services = new ExternalServices(ice, Duration.ofHours(12), clock);
        String xml = services.services(new UserId("u1"), Optional.empty()).toXml();
        IceServers.Server turn = ice.forUser(new UserId("u1")).get(1);
        assertThat(xml).contains("<service type=\"stun\" host=\"stun.clinic.example\" port=\"3478\" transport=\"udp\"/>")
                .contains("<service type=\"turn\" host=\"turn.clinic.example\" port=\"3478\" transport=\"udp\" username=\""
                        + turn.username() + "\" password=\"" + turn.credential().replace("/", "/")
                        + "\" expires=\"2026-12-06T22:00:00Z\" restricted=\"1\"/>")
                .contains("type=\"turns\" host=\"turn.clinic.example\" port=\"5349\" transport=\"tcp\"");
        String onlyTurn = services.services(new UserId("u1"), Optional.of("turn")).toXml();
        assertThat(onlyTurn).contains("type=\"turn\"").doesNotContain("type=\"stun\"", "type=\"turns\"");
    }
}
