package io.telesignal.store;

/** The AuditLog contract on a fresh PostgreSQL schema. */
class JdbcAuditLogPostgresTest extends JdbcAuditLogTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
