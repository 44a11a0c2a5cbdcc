package io.telesignal.core.audit;

import io.telesignal.core.DomainException;

/**
 * The audit trail could not take a record (its queue is full, it is closed, or the store failed). An action
 * that must be audited is refused rather than done unrecorded.
 */
public final class AuditUnavailableException extends DomainException {
    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "audit_unavailable";
    }
}
