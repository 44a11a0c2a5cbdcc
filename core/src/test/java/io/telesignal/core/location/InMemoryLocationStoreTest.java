package io.telesignal.core.location;

class InMemoryLocationStoreTest extends LocationStoreContract {
    private final InMemoryLocationStore store = new InMemoryLocationStore();

    @Override
    protected LocationStore store() {
        return store;
    }
}
