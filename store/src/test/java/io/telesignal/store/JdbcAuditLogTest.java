package io.telesignal.store;

import io.telesignal.core.audit.AuditLog;
import io.telesignal.core.audit.AuditLogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on an H2 file; {@code JdbcAuditLogPostgresTest} runs it on PostgreSQL. */
class JdbcAuditLogTest extends AuditLogContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected AuditLog log() {
        return database.store().auditLog();
    }
}
