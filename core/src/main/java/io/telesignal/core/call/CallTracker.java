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
 *
 * <p>In cluster mode ({@code shared}) the two sides of a call may be on different nodes, each seeing the signals its
 * own endpoint sends: the open record in the store is then the call's state, read and written on each offer, answer
 * and hangup (never on candidates), and an endpoint that goes ends the open records it is in, whichever node began
 * them.
 */
public final class CallTracker {
    private static final Logger LOG = LoggerFactory.getLogger(CallTracker.class);

    private static final CompletionStage<Void> UNCHANGED = CompletableFuture.completedStage(null);

    private record Pair(ConsultationId consultation, Set<EndpointId> endpoints) {}

    private final CallRecordStore store;
    private final AuditTrail audit;
    private final WorkerPool workers;
    private final Clock clock;
    private final Map<Pair, CallRecord> live = new ConcurrentHashMap<>();

    private final boolean shared;

    public CallTracker(CallRecordStore store, AuditTrail audit, WorkerPool workers, Clock clock) {
        this(store, audit, workers, clock, false);
    }

    public CallTracker(CallRecordStore store, AuditTrail audit, WorkerPool workers, Clock clock, boolean shared) {
        this.shared = shared;
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
        if (signal.description() == null && signal.hangup() == null) {
            return UNCHANGED; // a candidate or a restart flag: no call starts, connects or ends (see next)
        }
        if (shared) {
            return relayedShared(signal, toUser, to, 1);
        }
        Pair pair = new Pair(signal.consultation(), Set.of(signal.fromEndpoint(), to));
        CallRecord[] changed = new CallRecord[1];
        live.compute(pair, (key, current) -> {
            changed[0] = next(current, signal, toUser, to);
            return signal.hangup() != null ? null : changed[0] != null ? changed[0] : current;
        });
        return changed[0] == null ? CompletableFuture.completedFuture(null) : record(changed[0]);
    }

    /**
     * What a signal does to a call: the first offer starts one, an answer connects one ringing, a hangup ends one;
     * anything else changes nothing (null).
     */
    private CallRecord next(CallRecord current, CallSignal signal, UserId toUser, EndpointId to) {
        if (signal.hangup() != null) {
            return current == null ? null : current.ended(now(), "hangup");
        }
        if (signal.description() == null) {
            return null;
        }
        String type = signal.description().type();
        if (current == null && type.equals("offer")) {
            return new CallRecord("call-" + UUID.randomUUID(), signal.consultation(), signal.from(),
                    signal.fromEndpoint(), toUser, to, CallState.RINGING, now(), Optional.empty(), Optional.empty(),
                    Optional.empty());
        }
        if (current != null && current.state() == CallState.RINGING && type.equals("answer")) {
            return current.connected(now());
        }
        return null;
    }

    /**
     * Cluster mode: the open record in the store is the call's state. An answer that finds no open call may have
     * overtaken its offer's record on the offering node: it looks once more after a moment.
     */
    private CompletionStage<Void> relayedShared(CallSignal signal, UserId toUser, EndpointId to, int attempt) {
        return workers.submit(() -> {
            // read, decide, write only if the call is still as read: another node may move it meanwhile
            for (int tries = 0; tries < 3; tries++) {
                Optional<CallRecord> open = store.findOpen(signal.consultation(), signal.fromEndpoint(), to);
                CallRecord changed = next(open.orElse(null), signal, toUser, to);
                if (changed == null) {
                    return new Shared(Optional.empty(), open.isEmpty());
                }
                if (open.isEmpty()) {
                    store.save(changed);
                    return new Shared(Optional.of(changed), false);
                }
                if (store.replace(open.get(), changed)) {
                    return new Shared(Optional.of(changed), false);
                }
            }
            return new Shared(Optional.empty(), false);
        }).thenCompose(outcome -> {
            if (outcome.changed().isPresent()) {
                return audited(outcome.changed().get());
            }
            boolean answer = signal.description() != null && signal.description().type().equals("answer");
            if (answer && outcome.nothingOpen() && attempt == 1) {
                CompletableFuture<Void> again = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(250, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() ->
                        relayedShared(signal, toUser, to, 2).whenComplete((done, failure) -> again.complete(null)));
                return again;
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** What a shared-mode signal did: the record it changed, if any; whether no call was open at all. */
    private record Shared(Optional<CallRecord> changed, boolean nothingOpen) {}

    /** A single node starts again: no call from before goes on. Ends their records; answers how many. */
    public CompletionStage<Integer> endAllAfterRestart() {
        return workers.submit(() -> store.endOpen(now(), "server_restart"));
    }

    /** The endpoint left or its session ended: its calls are over. */
    public void endpointGone(EndpointId endpoint) {
        if (shared) {
            live.keySet().removeIf(pair -> pair.endpoints().contains(endpoint));
            workers.submit(() -> {
                List<CallRecord> ended = new ArrayList<>();
                for (CallRecord open : store.openWith(endpoint)) {
                    CallRecord over = open.ended(now(), "left");
                    if (store.replace(open, over)) {
                        ended.add(over);
                    }
                }
                return ended;
            }).whenComplete((ended, failure) -> {
                if (failure != null) {
                    LOG.error("event=call_record outcome=failed endpoint={} kind={}", endpoint,
                            io.telesignal.core.work.Failures.cause(failure).getClass().getName());
                } else {
                    ended.forEach(this::audited);
                }
            });
            return;
        }
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

    /** Audits a call that started or ended (its record is saved already). */
    private CompletionStage<Void> audited(CallRecord record) {
        if (record.state() != CallState.RINGING && record.state() != CallState.ENDED) {
            return CompletableFuture.completedFuture(null);
        }
        return audit.record(AuditEvent.of(record.state() == CallState.RINGING ? "call.started" : "call.ended",
                record.callerUser().value(), Outcome.OK).consultation(record.consultation().value())
                .subject(record.id()).endpoint(record.caller().value()).reason(record.endReason().orElse(null)))
                .thenApply(r -> null);
    }

    private CompletionStage<Void> record(CallRecord record) {
        CompletionStage<CallRecord> saved = workers.submit(() -> {
            store.save(record);
            return record;
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.error("event=call_record outcome=failed call={} kind={}", record.id(),
                        io.telesignal.core.work.Failures.cause(failure).getClass().getName());
            }
        });
        return saved.thenCombine(audited(record), (s, a) -> null);
    }

    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
