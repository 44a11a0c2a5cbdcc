package io.telesignal.store;

import io.telesignal.core.device.DevicePasswordStore;
import io.telesignal.core.device.DevicePasswordStoreContract;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on an H2 file; {@code JdbcDevicePasswordStorePostgresTest} runs it on PostgreSQL. */
class JdbcDevicePasswordStoreTest extends DevicePasswordStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected DevicePasswordStore store() {
        return database.store().devicePasswords();
    }

    @Override
    protected UserId newUser(String login) {
        User user = new User(UserId.random(), new Login(login), login, Set.of(Role.PROVIDER), true, Instant.EPOCH);
        database.store().directory().create(user, Optional.empty());
        return user.id();
    }
}
