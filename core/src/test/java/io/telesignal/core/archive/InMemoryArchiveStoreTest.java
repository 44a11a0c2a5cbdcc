package io.telesignal.core.archive;

import io.telesignal.core.identity.UserId;

class InMemoryArchiveStoreTest extends ArchiveStoreContract {
    private final InMemoryArchiveStore store = new InMemoryArchiveStore();

    @Override
    protected ArchiveStore store() {
        return store;
    }

    @Override
    protected UserId owner(String login) {
        return new UserId("u-" + login);
    }
}
