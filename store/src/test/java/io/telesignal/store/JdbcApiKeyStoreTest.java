package io.telesignal.store;

import io.telesignal.core.apikey.ApiKeyStore;
import io.telesignal.core.apikey.ApiKeyStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file; {@code JdbcApiKeyStorePostgresTest} runs it on PostgreSQL. */
class JdbcApiKeyStoreTest extends ApiKeyStoreContract {
    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(kind(), dir);
    }

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Override
    protected ApiKeyStore store() {
        return fixture.store().apiKeys();
    }
}
