package io.telesignal.signaling.ws;

import io.telesignal.core.DomainException;

/** A valid token that still does not let its bearer in, and the close code that says so. */
final class AuthenticationRefused extends DomainException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int closeCode;

    AuthenticationRefused(String code, String message, int closeCode) {
        super(message);
        this.code = code;
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }

    @Override
    public String code() {
        return code;
    }
}
