package io.telesignal.store;

/** The upload contract on a fresh PostgreSQL schema. */
class JdbcUploadStorePostgresTest extends JdbcUploadStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
