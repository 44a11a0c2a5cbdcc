package io.telesignal.store;

/** The chat store contract on a fresh PostgreSQL schema. */
class JdbcChatStorePostgresTest extends JdbcChatStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
