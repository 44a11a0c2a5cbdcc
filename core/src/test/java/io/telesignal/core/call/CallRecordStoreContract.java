package io.telesignal.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link CallRecordStore} must do. */
public abstract class CallRecordStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    protected abstract CallRecordStore store();

    @Test
    void recordsAreSavedReplacedAndListedPerConsultation() {
        ConsultationId c1 = new ConsultationId("c1");
        CallRecord ringing = new CallRecord("call-1", c1, new UserId("doc"), new EndpointId("ws-d"), new UserId("pat"),
                new EndpointId("ws-p"), CallState.RINGING, T0, Optional.empty(), Optional.empty(), Optional.empty());
        store().save(ringing);
        CallRecord over = ringing.connected(T0.plusSeconds(2)).ended(T0.plusSeconds(62), "hangup");
        store().save(over);
        store().save(new CallRecord("call-2", new ConsultationId("c2"), new UserId("a"), new EndpointId("x"),
                new UserId("b"), new EndpointId("y"), CallState.RINGING, T0, Optional.empty(), Optional.empty(),
                Optional.empty()));

        assertThat(store().forConsultation(c1)).containsExactly(over);
        assertThat(store().forConsultation(c1).get(0).duration()).hasSeconds(60);
    }
}
