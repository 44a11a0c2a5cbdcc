package io.telesignal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignalsTest {
    @Test
    void relayedSignalsGiveBackTheirNumbers() {
        String candidate = "{\"type\":\"signal\",\"consultation\":\"c1\",\"from\":\"u1\",\"fromEndpoint\":\"websocket-1\","
                + "\"candidate\":{\"candidate\":\"" + Signals.candidate(4711) + "\",\"sdpMid\":\"0\"},\"seq\":93}";
        String offer = "{\"type\":\"signal\",\"description\":{\"type\":\"offer\",\"sdp\":\"" + Signals.sdp("offer", 12)
                + "\"},\"seq\":94}";

        assertThat(Signals.numberIn(candidate)).isEqualTo(4711);
        assertThat(Signals.isDescription(candidate)).isFalse();
        assertThat(Signals.numberIn(offer)).isEqualTo(12);
        assertThat(Signals.isDescription(offer)).isTrue();
        assertThat(Signals.numberIn("{\"type\":\"signal\",\"hangup\":{}}")).isEqualTo(-1);
        assertThat(Signals.seq(candidate)).isEqualTo(93);
        assertThat(Signals.field(offer, "type")).isEqualTo("signal");
        assertThat(Signals.field(offer, "re")).isNull();
    }

    @Test
    void descriptionsAreSizedLikeABrowsersAndCandidatesLikeTrickledOnes() {
        String sdp = Signals.sdp("answer", 1).replace("\\r\\n", "\r\n");
        assertThat(sdp.length()).isBetween(2000, 2400);
        assertThat(sdp).startsWith("v=0\r\no=- ").contains("a=setup:active").endsWith("\r\n");
        assertThat(Signals.candidate(99).length()).isBetween(90, 200);
    }

    @Test
    void endpointsAreReadFromAConsultationView() {
        String view = "{\"type\":\"result\",\"re\":\"s2\",\"body\":{\"id\":\"c1\",\"participants\":[{\"user\":\"u1\","
                + "\"role\":\"provider\",\"endpoints\":[\"websocket-a\"]},{\"user\":\"u2\",\"role\":\"patient\","
                + "\"endpoints\":[\"websocket-b\",\"websocket-c\"]}]},\"seq\":3}";
        assertThat(LoadRun.endpointOf(view, "u2")).isEqualTo("websocket-b");
        assertThat(LoadRun.endpointOf(view, "u1")).isEqualTo("websocket-a");
        assertThatThrownBy(() -> LoadRun.endpointOf(view, "u3")).hasMessageContaining("no endpoint");
    }
}
