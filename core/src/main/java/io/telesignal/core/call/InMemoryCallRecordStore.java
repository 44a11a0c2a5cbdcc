package io.telesignal.core.call;

import io.telesignal.core.consultation.ConsultationId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Call records of a throw-away server. */
public final class InMemoryCallRecordStore implements CallRecordStore {
    private final Map<String, CallRecord> records = new ConcurrentHashMap<>();

    @Override
    public void save(CallRecord record) {
        records.put(record.id(), record);
    }

    @Override
    public boolean replace(CallRecord expected, CallRecord updated) {
        boolean[] replaced = new boolean[1];
        records.computeIfPresent(updated.id(), (id, current) -> {
            if (current.state() != expected.state()) {
                return current;
            }
            replaced[0] = true;
            return updated;
        });
        return replaced[0];
    }

    @Override
    public int endOpen(java.time.Instant at, String reason) {
        int[] ended = new int[1];
        records.replaceAll((id, r) -> {
            if (r.state() == CallState.ENDED) {
                return r;
            }
            ended[0]++;
            return r.ended(at, reason);
        });
        return ended[0];
    }

    @Override
    public java.util.Optional<CallRecord> findOpen(ConsultationId consultation, io.telesignal.core.identity.EndpointId a,
            io.telesignal.core.identity.EndpointId b) {
        return records.values().stream().filter(r -> r.state() != CallState.ENDED
                && r.consultation().equals(consultation)
                && (r.caller().equals(a) && r.callee().equals(b) || r.caller().equals(b) && r.callee().equals(a)))
                .max(Comparator.comparing(CallRecord::startedAt));
    }

    @Override
    public List<CallRecord> openWith(io.telesignal.core.identity.EndpointId endpoint) {
        return records.values().stream().filter(r -> r.state() != CallState.ENDED
                && (r.caller().equals(endpoint) || r.callee().equals(endpoint))).toList();
    }

    @Override
    public List<CallRecord> forConsultation(ConsultationId consultation) {
        return records.values().stream().filter(r -> r.consultation().equals(consultation))
                .sorted(Comparator.comparing(CallRecord::startedAt).thenComparing(CallRecord::id)).toList();
    }
}
