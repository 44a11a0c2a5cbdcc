package io.telesignal.core.directory;

import io.telesignal.core.DomainException;

/** A new password breaks the password policy. */
public final class InvalidPasswordException extends DomainException {
    private static final long serialVersionUID = 1L;

    public InvalidPasswordException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "invalid_password";
    }
}
