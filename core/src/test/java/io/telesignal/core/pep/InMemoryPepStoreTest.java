package io.telesignal.core.pep;

import io.telesignal.core.identity.UserId;

class InMemoryPepStoreTest extends PepStoreContract {
    private final InMemoryPepStore store = new InMemoryPepStore();

    @Override
    protected PepStore store() {
        return store;
    }

    @Override
    protected UserId user(String login) {
        return new UserId("user-" + login);
    }
}
