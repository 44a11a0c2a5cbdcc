package io.telesignal.core.audit;

import org.junit.jupiter.api.BeforeEach;

class InMemoryAuditLogTest extends AuditLogContract {
    private InMemoryAuditLog log;

    @BeforeEach
    void setUp() {
        log = new InMemoryAuditLog();
    }

    @Override
    protected AuditLog log() {
        return log;
    }
}
