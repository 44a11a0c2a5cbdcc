package io.telesignal.core.audit;

import java.util.ArrayList;
import java.util.List;

/** Audit log kept in memory; for tests and for tools that need no persistence. Thread-safe. */
public final class InMemoryAuditLog implements AuditLog {
    private final List<AuditRecord> records = new ArrayList<>();

    @Override
    public synchronized AuditRecord append(AuditEvent event) {
        AuditHead head = head();
        AuditRecord record = AuditChain.link(head.seq() + 1, event, head.hash());
        records.add(record);
        return record;
    }

    @Override
    public synchronized List<AuditRecord> read(long afterSeq, int limit) {
        List<AuditRecord> page = new ArrayList<>();
        for (AuditRecord record : records) {
            if (record.seq() > afterSeq && page.size() < limit) {
                page.add(record);
            }
        }
        return page;
    }

    @Override
    public synchronized AuditHead head() {
        if (records.isEmpty()) {
            return AuditHead.EMPTY;
        }
        AuditRecord last = records.get(records.size() - 1);
        return new AuditHead(last.seq(), last.hash());
    }

    /** Replaces a stored record as an attacker with write access would; tests use it to prove detection. */
    public synchronized void tamper(AuditRecord replacement) {
        records.set((int) replacement.seq() - 1, replacement);
    }
}
