package io.telesignal.store;

/** The block list contract on a fresh PostgreSQL schema. */
class JdbcBlockStorePostgresTest extends JdbcBlockStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
