package io.telesignal.core;

/**
 * A refusal or failure the core decides on. Each carries a stable, machine-readable code; adapters map codes
 * to their protocol's errors (a JSON {@code error}, a SIP status, an XMPP condition). Messages are for
 * operators and never contain patient data.
 */
public abstract class DomainException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected DomainException(String message) {
        super(message, null, false, false);
    }

    protected DomainException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** Stable snake_case code, documented per front door. */
    public abstract String code();
}
