package io.telesignal.core.call;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.work.WorkerPool;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows calls through the signaling relayed between two endpoints: the first offer between them starts a call
 * ({@code ringing}, audited {@code call.started}), an answer connects it, a hangup — or either endpoint leaving —
 * ends it (audited {@code call.ended}). Renegotiations and ICE restarts inside a call change nothing. Each state
 * is saved as a call record on the worker pool; the signal that changed it is answered only once the record and its
 * audit are committed.
 *
 * <p>Hazard: signals for one pair can come from both sides on different threads; the live table is updated with
 * {@code compute}, so each transition happens once.
 */
public final class CallTracker {
    private static final Logger LOG = LoggerFactory.getLogger(CallTracker.class);

    private record Pair(ConsultationId consultation, Set<EndpointId> endpoints) {}

    private final CallRecordStore store;
    private final AuditTrail audit;
    private final WorkerPool workers;
    private final Clock clock;
    private final Map<Pair, CallRecord> live = new ConcurrentHashMap<>();

    public CallTracker(CallRecordStore store, AuditTrail audit, WorkerPool workers, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.workers = workers;
        this.clock = clock;
    }

    /**
     * A signal was delivered from one endpoint to another; completes when the call record it changed, if any, is
     * saved and audited.
     */
    public CompletionStage<Void> relayed(CallSignal signal, UserId toUser, EndpointId to) {
        Pair pair = new Pair(signal.consultation(), Set.of(signal.fromEndpoint(), to));
        CallRecord[] changed = new CallRecord[1];
        live.compute(pair, (key, current) -> {
            if (signal.hangup() != null) {
                if (current != null) {
                    changed[0] = current.ended(now(), "hangup");
                }
                return null;
            }
            if (signal.description() == null) {
                return current;
            }
            String type = signal.description().type();
            if (current == null && type.equals("offer")) {
                changed[0] = new CallRecord("call-" + UUID.randomUUID(), signal.consultation(), signal.from(),
                        signal.fromEndpoint(), toUser, to, CallState.RINGING, now(), Optional.empty(), Optional.empty(),
                        Optional.empty());
                return changed[0];
            }
            if (current != null && current.state() == CallState.RINGING && type.equals("answer")) {
                changed[0] = current.connected(now());
                return changed[0];
            }
            return current;
        });
        return changed[0] == null ? CompletableFuture.completedFuture(null) : record(changed[0]);
    }

    /** A single node starts again: no call from before goes on. Ends their records; answers how many. */
    public CompletionStage<Integer> endAllAfterRestart() {
        return workers.submit(() -> store.endOpen(now(), "server_restart"));
    }

    /** The endpoint left or its session ended: its calls are over. */
    public void endpointGone(EndpointId endpoint) {
        List<CallRecord> ended = new ArrayList<>();
        for (Pair pair : List.copyOf(live.keySet())) {
            if (pair.endpoints().contains(endpoint)) {
                CallRecord current = live.remove(pair);
                if (current != null) {
                    ended.add(current.ended(now(), "left"));
                }
            }
        }
        ended.forEach(this::record);
    }

    public int live() {
        return live.size();
    }

    private CompletionStage<Void> record(CallRecord record) {
        CompletionStage<CallRecord> saved = workers.submit(() -> {
            store.save(record);
            return record;
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.error("event=call_record outcome=failed call={} kind={}", record.id(),
                        failure.getClass().getSimpleName());
            }
        });
        if (record.state() == CallState.RINGING || record.state() == CallState.ENDED) {
            CompletableFuture<?> audited = audit.record(AuditEvent.of(record.state() == CallState.RINGING
                    ? "call.started" : "call.ended", record.callerUser().value(), Outcome.OK)
                    .consultation(record.consultation().value()).subject(record.id())
                    .endpoint(record.caller().value()).reason(record.endReason().orElse(null)));
            return saved.thenCombine(audited, (s, a) -> null);
        }
        return saved.thenApply(s -> null);
    }

    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
