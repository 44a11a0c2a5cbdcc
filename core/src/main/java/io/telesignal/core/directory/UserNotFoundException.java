package io.telesignal.core.directory;

import io.telesignal.core.DomainException;

/** No user with that id or login. */
public final class UserNotFoundException extends DomainException {
    private static final long serialVersionUID = 1L;

    public UserNotFoundException(String idOrLogin) {
        super("no such user: " + idOrLogin);
    }

    @Override
    public String code() {
        return "user_not_found";
    }
}
