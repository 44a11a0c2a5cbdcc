package io.telesignal.signaling.ws;

import io.telesignal.core.Refusal;

/** A valid token that still does not let its bearer in, and the close code that says so. */
final class AuthenticationRefused extends Refusal {
    private static final long serialVersionUID = 1L;
    private final int closeCode;

    AuthenticationRefused(String code, String message, int closeCode) {
        super(code, message);
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }
}
