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
    public List<CallRecord> forConsultation(ConsultationId consultation) {
        return records.values().stream().filter(r -> r.consultation().equals(consultation))
                .sorted(Comparator.comparing(CallRecord::startedAt).thenComparing(CallRecord::id)).toList();
    }
}
