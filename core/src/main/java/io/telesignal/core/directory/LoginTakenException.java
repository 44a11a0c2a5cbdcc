package io.telesignal.core.directory;

import io.telesignal.core.DomainException;

/** Another user already has that login. */
public final class LoginTakenException extends DomainException {
    private static final long serialVersionUID = 1L;

    public LoginTakenException(String login) {
        super("login already taken: " + login);
    }

    @Override
    public String code() {
        return "login_taken";
    }
}
