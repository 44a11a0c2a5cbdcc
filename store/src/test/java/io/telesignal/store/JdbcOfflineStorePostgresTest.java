package io.telesignal.store;

/** The offline message store contract on a fresh PostgreSQL schema. */
class JdbcOfflineStorePostgresTest extends JdbcOfflineStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
