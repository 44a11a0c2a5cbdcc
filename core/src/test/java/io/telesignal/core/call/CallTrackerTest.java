package io.telesignal.core.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.core.work.WorkerPool;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallTrackerTest {
    private static final ConsultationId C = new ConsultationId("c1");
    private static final UserId DOC = new UserId("doc");
    private static final UserId PAT = new UserId("pat");
    private static final EndpointId D = new EndpointId("ws-d");
    private static final EndpointId P = new EndpointId("ws-p");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(log, clock, 100);
    private final WorkerPool workers = new WorkerPool("test", 1, 100);
    private final InMemoryCallRecordStore store = new InMemoryCallRecordStore();
    private final CallTracker tracker = new CallTracker(store, audit, workers, clock);

    @AfterEach
    void close() {
        workers.close();
        audit.close();
    }

    private static CallSignal description(UserId from, EndpointId fromEndpoint, String type) {
        return new CallSignal(C, from, fromEndpoint, new CallSignal.Description(type, "v=0"), null, false, null);
    }

    private List<CallRecord> records() {
        return store.forConsultation(C);
    }

    @Test
    void offerAnswerHangupMakesOneRecordWithItsDuration() {
        tracker.relayed(description(DOC, D, "offer"), PAT, P);
        await().atMost(Duration.ofSeconds(5)).until(() -> records().size() == 1);
        assertThat(records().get(0).state()).isEqualTo(CallState.RINGING);

        clock.advance(Duration.ofSeconds(3));
        tracker.relayed(description(PAT, P, "answer"), DOC, D);
        clock.advance(Duration.ofSeconds(20));
        tracker.relayed(description(DOC, D, "offer"), PAT, P);
        tracker.relayed(new CallSignal(C, DOC, D, null, null, true, null), PAT, P);
        clock.advance(Duration.ofSeconds(100));
        tracker.relayed(new CallSignal(C, PAT, P, null, null, false, new CallSignal.Hangup("done")), DOC, D);

        await().atMost(Duration.ofSeconds(5)).until(() -> records().get(0).state() == CallState.ENDED);
        CallRecord call = records().get(0);
        assertThat(records()).hasSize(1);
        assertThat(call.caller()).isEqualTo(D);
        assertThat(call.duration()).isEqualTo(Duration.ofSeconds(120));
        assertThat(call.endReason()).contains("hangup");
        assertThat(tracker.live()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.read(0, 10).size() == 2);
        assertThat(log.read(0, 10)).extracting(r -> r.event().type()).containsExactly("call.started", "call.ended");
    }

    @Test
    void anEndpointLeavingEndsItsCalls() {
        tracker.relayed(description(DOC, D, "offer"), PAT, P);
        tracker.endpointGone(P);
        await().atMost(Duration.ofSeconds(5)).until(() -> !records().isEmpty() && records().get(0).state() == CallState.ENDED);
        assertThat(records().get(0).endReason()).contains("left");
        assertThat(records().get(0).duration()).isZero();
    }

    @Test
    void inClusterModeACallWhoseEndsAreOnTwoNodesIsOneRecordThroughTheStore() {
        // two nodes: each sees only the signals its own endpoint sends
        CallTracker onA = new CallTracker(store, audit, workers, clock, true);
        CallTracker onB = new CallTracker(store, audit, workers, clock, true);
        onA.relayed(description(DOC, D, "offer"), PAT, P).toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(2));
        onB.relayed(description(PAT, P, "answer"), DOC, D).toCompletableFuture().join();
        onB.relayed(new CallSignal(C, PAT, P, null, new CallSignal.Candidate("", null, null, null), false, null), DOC, D)
                .toCompletableFuture().join();
        assertThat(records()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(CallState.CONNECTED);
            assertThat(r.connectedAt()).contains(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        });
        clock.advance(Duration.ofSeconds(60));
        onB.relayed(new CallSignal(C, PAT, P, null, null, false, new CallSignal.Hangup("done")), DOC, D)
                .toCompletableFuture().join();
        assertThat(records()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(CallState.ENDED);
            assertThat(r.duration()).isEqualTo(Duration.ofSeconds(60));
        });

        // a second call, ended by its callee's endpoint leaving on the other node
        onA.relayed(description(DOC, D, "offer"), PAT, P).toCompletableFuture().join();
        onB.endpointGone(P);
        await().atMost(Duration.ofSeconds(5)).until(() -> records().stream().allMatch(r -> r.state() == CallState.ENDED));
        assertThat(records()).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> log.read(0, 10).size() == 4);
        assertThat(log.read(0, 10)).extracting(r -> r.event().type())
                .containsExactly("call.started", "call.ended", "call.started", "call.ended");
    }
}
