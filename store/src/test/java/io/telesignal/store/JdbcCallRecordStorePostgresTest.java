package io.telesignal.store;

/** The call record store contract on a fresh PostgreSQL schema. */
class JdbcCallRecordStorePostgresTest extends JdbcCallRecordStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
