package io.telesignal.core.work;

import io.telesignal.core.DomainException;

/** The worker pool's queue is full: the caller answers "try again later" (HTTP 503, JSON {@code busy}). */
public final class BusyException extends DomainException {
    private static final long serialVersionUID = 1L;

    public BusyException() {
        super("worker pool saturated");
    }

    @Override
    public String code() {
        return "busy";
    }
}
