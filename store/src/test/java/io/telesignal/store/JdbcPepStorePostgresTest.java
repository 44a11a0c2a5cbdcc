package io.telesignal.store;

/** The personal eventing contract on a fresh PostgreSQL schema. */
class JdbcPepStorePostgresTest extends JdbcPepStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
