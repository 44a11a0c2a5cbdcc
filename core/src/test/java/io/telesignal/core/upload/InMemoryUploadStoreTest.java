package io.telesignal.core.upload;

import io.telesignal.core.identity.UserId;

class InMemoryUploadStoreTest extends UploadStoreContract {
    private final UploadStore store = new InMemoryUploadStore();

    @Override
    protected UploadStore store() {
        return store;
    }

    @Override
    protected UserId user(String login) {
        return new UserId(login);
    }
}
