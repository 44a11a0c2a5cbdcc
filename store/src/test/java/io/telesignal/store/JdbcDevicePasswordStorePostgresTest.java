package io.telesignal.store;

/** The device password store contract on a fresh PostgreSQL schema. */
class JdbcDevicePasswordStorePostgresTest extends JdbcDevicePasswordStoreTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
