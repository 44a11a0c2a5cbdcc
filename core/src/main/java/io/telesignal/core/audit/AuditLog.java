package io.telesignal.core.audit;

import java.util.List;

/**
 * SPI: where audit records are kept. Implementations are blocking (JDBC) and are only called from the
 * {@link AuditTrail} writer thread or from tools such as {@code audit verify}, never from an event loop.
 *
 * <p>{@link #append} must be atomic across every writer, including other nodes sharing the store: read the
 * head, link the record with {@link AuditChain#link}, store record and new head, in one transaction.
 */
public interface AuditLog {
    AuditRecord append(AuditEvent event);

    /**
     * Appends {@code events} in order, atomically as a whole (all or none), as {@link #append} does one: the writer
     * hands over every event waiting at once, so that a burst (a reconnect storm's sign-ins) costs one commit, not
     * one each. This default appends them one by one.
     */
    default List<AuditRecord> appendAll(List<AuditEvent> events) {
        return events.stream().map(this::append).toList();
    }

    /** Up to {@code limit} records with {@code seq > afterSeq}, in ascending order. */
    List<AuditRecord> read(long afterSeq, int limit);

    AuditHead head();
}
