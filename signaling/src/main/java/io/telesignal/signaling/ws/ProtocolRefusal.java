package io.telesignal.signaling.ws;

import io.telesignal.core.DomainException;

/** A request this front door refuses itself (peer unreachable, unsupported option), with a stable code. */
final class ProtocolRefusal extends DomainException {
    private static final long serialVersionUID = 1L;
    private final String code;

    ProtocolRefusal(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
