package io.telesignal.core.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import org.junit.jupiter.api.Test;

class CallSignalTest {
    private static final ConsultationId C = new ConsultationId("c1");

    @Test
    void aDescriptionCarriesItsLiteralOnlyWithItsSdp() {
        assertThat(new CallSignal.Description("offer", "v=0").sdpJson()).isNull();
        assertThat(new CallSignal.Description("offer", "v=0", "\"v=0\"").sdpJson()).isEqualTo("\"v=0\"");
        assertThat(new CallSignal.Description("rollback", null).sdp()).isNull();
        assertThatThrownBy(() -> new CallSignal.Description("rollback", null, "\"v=0\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without its SDP");
        assertThatThrownBy(() -> new CallSignal.Description(null, "v=0")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aSignalCarriesExactlyOnePayload() {
        UserId from = new UserId("u1");
        EndpointId endpoint = new EndpointId("websocket-e1");
        assertThat(new CallSignal(C, from, endpoint, null, null, true, null).restart()).isTrue();
        assertThatThrownBy(() -> new CallSignal(C, from, endpoint, null, null, false, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallSignal(C, from, endpoint, new CallSignal.Description("offer", "v=0"), null,
                true, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
