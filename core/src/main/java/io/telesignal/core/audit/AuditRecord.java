package io.telesignal.core.audit;

import java.util.Objects;

/** An audit event as stored: its position in the chain, the previous record's hash and its own. */
public record AuditRecord(long seq, AuditEvent event, String prevHash, String hash) {
    public AuditRecord {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1");
        }
    }
}
