package io.telesignal.store;

/** The roster store contract on a fresh PostgreSQL schema. */
class JdbcRosterStorePostgresTest extends JdbcRosterStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
