package io.telesignal.store;

/** The API key store contract on a fresh PostgreSQL schema. */
class JdbcApiKeyStorePostgresTest extends JdbcApiKeyStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
