package io.telesignal.core.blocking;

import io.telesignal.core.identity.UserId;

class InMemoryBlockStoreTest extends BlockStoreContract {
    private final InMemoryBlockStore store = new InMemoryBlockStore();

    @Override
    protected BlockStore store() {
        return store;
    }

    @Override
    protected UserId user(String login) {
        return new UserId("user-" + login);
    }
}
