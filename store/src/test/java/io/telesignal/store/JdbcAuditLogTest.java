package io.telesignal.store;

import io.telesignal.core.audit.AuditLog;
import io.telesignal.core.audit.AuditLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file; {@code JdbcAuditLogPostgresTest} runs it on PostgreSQL. */
class JdbcAuditLogTest extends AuditLogContract {
    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(kind(), dir);
    }

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Override
    protected AuditLog log() {
        return fixture.store().auditLog();
    }
}
