package io.telesignal.core.directory;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.util.List;
import java.util.Optional;

/**
 * SPI: where users and their derived credentials are kept. Blocking; call from the worker pool.
 * Implementations: {@link InMemoryDirectory} here, {@code JdbcDirectory} in store.
 */
public interface Directory {
    /**
     * Stores a new user with its first credentials, atomically. Without credentials the account is token-only:
     * it signs in with tokens the server issues (a platform's users, invite guests), never with a password.
     */
    void create(User user, Optional<Credentials> credentials) throws LoginTakenException;

    default void create(User user, Credentials credentials) throws LoginTakenException {
        create(user, Optional.of(credentials));
    }

    Optional<User> findById(UserId id);

    Optional<User> findByLogin(Login login);

    /** Users ordered by login. */
    List<User> list(int offset, int limit);

    /** Replaces display name, roles and enabled flag; login and id never change. */
    void update(User user) throws UserNotFoundException;

    Optional<Credentials> credentials(UserId id);

    void storeCredentials(UserId id, Credentials credentials) throws UserNotFoundException;

    /** Answers quickly when the backing store is reachable; throws otherwise. Used by readiness checks. */
    void ping();
}
