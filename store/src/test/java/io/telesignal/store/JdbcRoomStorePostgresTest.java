package io.telesignal.store;

/** The room store contract on a fresh PostgreSQL schema. */
class JdbcRoomStorePostgresTest extends JdbcRoomStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
