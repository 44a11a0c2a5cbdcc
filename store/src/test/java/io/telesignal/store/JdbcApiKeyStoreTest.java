package io.telesignal.store;

import io.telesignal.core.apikey.ApiKeyStore;
import io.telesignal.core.apikey.ApiKeyStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on an H2 file; {@code JdbcApiKeyStorePostgresTest} runs it on PostgreSQL. */
class JdbcApiKeyStoreTest extends ApiKeyStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected ApiKeyStore store() {
        return database.store().apiKeys();
    }
}
