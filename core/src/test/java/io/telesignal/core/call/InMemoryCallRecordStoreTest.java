package io.telesignal.core.call;

class InMemoryCallRecordStoreTest extends CallRecordStoreContract {
    private final InMemoryCallRecordStore store = new InMemoryCallRecordStore();

    @Override
    protected CallRecordStore store() {
        return store;
    }
}
