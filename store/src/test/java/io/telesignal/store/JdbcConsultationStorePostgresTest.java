package io.telesignal.store;

/** The consultation store contract on a fresh PostgreSQL schema. */
class JdbcConsultationStorePostgresTest extends JdbcConsultationStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
