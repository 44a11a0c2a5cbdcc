package io.telesignal.core.chat;

class InMemoryChatStoreTest extends ChatStoreContract {
    private final InMemoryChatStore store = new InMemoryChatStore();

    @Override
    protected ChatStore store() {
        return store;
    }
}
