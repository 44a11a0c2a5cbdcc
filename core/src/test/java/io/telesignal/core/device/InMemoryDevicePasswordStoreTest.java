package io.telesignal.core.device;

import io.telesignal.core.identity.UserId;
import java.util.HashSet;
import java.util.Set;

class InMemoryDevicePasswordStoreTest extends DevicePasswordStoreContract {
    private final Set<UserId> users = new HashSet<>();
    private final InMemoryDevicePasswordStore store = new InMemoryDevicePasswordStore(users::contains);

    @Override
    protected DevicePasswordStore store() {
        return store;
    }

    @Override
    protected UserId newUser(String login) {
        UserId id = UserId.random();
        users.add(id);
        return id;
    }
}
