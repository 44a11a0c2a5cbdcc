package io.telesignal.store;

/** The Directory contract on a fresh PostgreSQL schema. */
class JdbcDirectoryPostgresTest extends JdbcDirectoryTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
