package io.telesignal.core.consultation;

import io.telesignal.core.DomainException;

/**
 * A consultation operation refused or impossible. The code is stable and documented in the protocol:
 * {@code not_authorized}, {@code consultation_not_found}, {@code consultation_ended}, {@code consultation_full},
 * {@code not_waiting}, {@code not_participant}, {@code conflict}.
 */
public final class ConsultationException extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        NOT_AUTHORIZED("not_authorized"),
        CONSULTATION_NOT_FOUND("consultation_not_found"),
        CONSULTATION_ENDED("consultation_ended"),
        CONSULTATION_FULL("consultation_full"),
        NOT_WAITING("not_waiting"),
        NOT_PARTICIPANT("not_participant"),
        /** The store kept changing under a transition; retry later. */
        CONFLICT("conflict");

        private final String code;

        Reason(String code) {
            this.code = code;
        }
    }

    private final Reason reason;

    public ConsultationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String code() {
        return reason.code;
    }
}
