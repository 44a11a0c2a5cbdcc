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

    @Test
    void savesOfOneNewRecordAtOnceNeverFail() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                CallRecord ringing = new CallRecord("race-" + round, new ConsultationId("c1"), new UserId("doc"),
                        new EndpointId("ws-d"), new UserId("pat"), new EndpointId("ws-p"), CallState.RINGING, T0,
                        Optional.empty(), Optional.empty(), Optional.empty());
                CallRecord connected = ringing.connected(T0.plusSeconds(1));
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                java.util.List<java.util.concurrent.Future<?>> saves = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    CallRecord record = i % 2 == 0 ? ringing : connected;
                    saves.add(pool.submit(() -> {
                        go.await();
                        store().save(record);
                        return null;
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<?> save : saves) {
                    save.get(); // none failed
                }
                String id = ringing.id();
                assertThat(store().forConsultation(new ConsultationId("c1"))).filteredOn(r -> r.id().equals(id))
                        .hasSize(1);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void endOpenEndsEveryCallNotEndedYet() {
        ConsultationId c1 = new ConsultationId("c1");
        CallRecord ringing = new CallRecord("call-1", c1, new UserId("doc"), new EndpointId("ws-d"), new UserId("pat"),
                new EndpointId("ws-p"), CallState.RINGING, T0, Optional.empty(), Optional.empty(), Optional.empty());
        CallRecord connected = new CallRecord("call-2", c1, new UserId("doc"), new EndpointId("ws-d"),
                new UserId("pat"), new EndpointId("ws-q"), CallState.RINGING, T0.plusSeconds(1), Optional.empty(),
                Optional.empty(), Optional.empty()).connected(T0.plusSeconds(2));
        CallRecord over = new CallRecord("call-3", c1, new UserId("doc"), new EndpointId("ws-d"), new UserId("pat"),
                new EndpointId("ws-r"), CallState.RINGING, T0.plusSeconds(3), Optional.empty(), Optional.empty(),
                Optional.empty()).ended(T0.plusSeconds(4), "hangup");
        store().save(ringing);
        store().save(connected);
        store().save(over);

        assertThat(store().endOpen(T0.plusSeconds(10), "server_restart")).isEqualTo(2);

        assertThat(store().forConsultation(c1)).containsExactly(ringing.ended(T0.plusSeconds(10), "server_restart"),
                connected.ended(T0.plusSeconds(10), "server_restart"), over);
        assertThat(store().endOpen(T0.plusSeconds(20), "server_restart")).isZero();
    }

    @Test
    void openCallsAreFoundEitherWayRoundAndByEndpoint() {
        ConsultationId c1 = new ConsultationId("c1");
        CallRecord ringing = new CallRecord("call-1", c1, new UserId("doc"), new EndpointId("ws-d"), new UserId("pat"),
                new EndpointId("ws-p"), CallState.RINGING, T0, Optional.empty(), Optional.empty(), Optional.empty());
        CallRecord over = new CallRecord("call-0", c1, new UserId("doc"), new EndpointId("ws-d"), new UserId("pat"),
                new EndpointId("ws-p"), CallState.RINGING, T0.minusSeconds(60), Optional.empty(), Optional.empty(),
                Optional.empty()).ended(T0.minusSeconds(30), "hangup");
        store().save(over);
        store().save(ringing);

        assertThat(store().findOpen(c1, new EndpointId("ws-d"), new EndpointId("ws-p"))).contains(ringing);
        assertThat(store().findOpen(c1, new EndpointId("ws-p"), new EndpointId("ws-d"))).contains(ringing);
        assertThat(store().findOpen(new ConsultationId("c2"), new EndpointId("ws-d"), new EndpointId("ws-p"))).isEmpty();
        assertThat(store().openWith(new EndpointId("ws-p"))).containsExactly(ringing);
        assertThat(store().openWith(new EndpointId("ws-x"))).isEmpty();
    }

    @Test
    void replaceChangesACallOnlyInTheStateItWasReadIn() {
        ConsultationId c1 = new ConsultationId("c1");
        CallRecord ringing = new CallRecord("call-1", c1, new UserId("doc"), new EndpointId("ws-d"), new UserId("pat"),
                new EndpointId("ws-p"), CallState.RINGING, T0, Optional.empty(), Optional.empty(), Optional.empty());
        store().save(ringing);
        CallRecord ended = ringing.ended(T0.plusSeconds(5), "left");
        assertThat(store().replace(ringing, ended)).isTrue();
        // another node read it ringing and answers: too late, it stays ended
        assertThat(store().replace(ringing, ringing.connected(T0.plusSeconds(6)))).isFalse();
        assertThat(store().forConsultation(c1)).containsExactly(ended);
    }
}
