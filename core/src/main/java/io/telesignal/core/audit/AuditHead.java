package io.telesignal.core.audit;

/**
 * The chain's last link as the log remembers it, kept apart from the records so that deleting the newest
 * records (truncation) is detected too.
 */
public record AuditHead(long seq, String hash) {
    public static final AuditHead EMPTY = new AuditHead(0, AuditChain.GENESIS);
}
