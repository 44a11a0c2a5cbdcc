package io.telesignal.store;

/** The message archive store contract on a fresh PostgreSQL schema. */
class JdbcArchiveStorePostgresTest extends JdbcArchiveStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
