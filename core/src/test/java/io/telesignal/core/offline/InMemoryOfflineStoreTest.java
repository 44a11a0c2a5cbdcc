package io.telesignal.core.offline;

import io.telesignal.core.identity.UserId;

class InMemoryOfflineStoreTest extends OfflineStoreContract {
    private final InMemoryOfflineStore store = new InMemoryOfflineStore();

    @Override
    protected OfflineStore store() {
        return store;
    }

    @Override
    protected UserId owner(String login) {
        return new UserId("u-" + login);
    }
}
