package io.telesignal.core.directory;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Directory kept in memory: lost on restart. For tests and throw-away servers. Thread-safe. */
public final class InMemoryDirectory implements Directory {
    private final Map<UserId, User> users = new HashMap<>();
    private final Map<Login, UserId> byLogin = new HashMap<>();
    private final Map<UserId, Credentials> credentials = new HashMap<>();

    @Override
    public synchronized void create(User user, Optional<Credentials> userCredentials) {
        if (byLogin.containsKey(user.login())) {
            throw new LoginTakenException(user.login().value());
        }
        if (users.containsKey(user.id())) {
            throw new IllegalArgumentException("duplicate user id " + user.id());
        }
        users.put(user.id(), user);
        byLogin.put(user.login(), user.id());
        userCredentials.ifPresent(c -> credentials.put(user.id(), c));
    }

    @Override
    public synchronized Optional<User> findById(UserId id) {
        return Optional.ofNullable(users.get(id));
    }

    @Override
    public synchronized Optional<User> findByLogin(Login login) {
        return Optional.ofNullable(byLogin.get(login)).map(users::get);
    }

    @Override
    public synchronized List<User> list(int offset, int limit) {
        return users.values().stream()
                .sorted(Comparator.comparing(u -> u.login().value()))
                .skip(offset)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized void update(User user) {
        User existing = users.get(user.id());
        if (existing == null) {
            throw new UserNotFoundException(user.id().value());
        }
        if (!existing.login().equals(user.login())) {
            throw new IllegalArgumentException("login cannot change");
        }
        users.put(user.id(), user);
    }

    @Override
    public synchronized Optional<Credentials> credentials(UserId id) {
        return Optional.ofNullable(credentials.get(id));
    }

    @Override
    public synchronized void storeCredentials(UserId id, Credentials userCredentials) {
        if (!users.containsKey(id)) {
            throw new UserNotFoundException(id.value());
        }
        credentials.put(id, userCredentials);
    }

    @Override
    public void ping() {
        // always reachable
    }
}
