package io.telesignal.server.cli;

import io.telesignal.store.JdbcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/** Edits an audit row with plain SQL, the way someone with database access would. */
final class AuditTampering {
    private AuditTampering() {}

    static void editOutcome(JdbcSettings store, long seq) throws Exception {
        try (Connection c = DriverManager.getConnection(store.url(), store.username(), store.password())) {
            if (store.schema().isPresent()) {
                c.setSchema(store.schema().get());
            }
            boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            if (postgres) { // as the tables' owner: past the append-only triggers
                c.createStatement().execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE audit_events SET outcome = 'denied' WHERE seq = ?")) {
                update.setLong(1, seq);
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("no audit row " + seq);
                }
            }
            if (postgres) {
                c.createStatement().execute("ALTER TABLE audit_events ENABLE TRIGGER USER");
            }
        }
    }

    /**
     * Recomputes every link of the chain from the records as they now are, and the head: what someone with database
     * access and the code would do to hide an edit from {@code audit verify} (not from an anchor: it is signed).
     */
    static void rechain(JdbcSettings store) throws Exception {
        java.util.List<io.telesignal.core.audit.AuditRecord> records;
        try (io.telesignal.store.JdbcStore opened = io.telesignal.store.JdbcStore.open(store)) {
            records = opened.auditLog().read(0, 100_000);
        }
        try (Connection c = DriverManager.getConnection(store.url(), store.username(), store.password())) {
            if (store.schema().isPresent()) {
                c.setSchema(store.schema().get());
            }
            boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            if (postgres) {
                c.createStatement().execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            }
            String prev = io.telesignal.core.audit.AuditChain.GENESIS;
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE audit_events SET prev_hash = ?, chain_hash = ? WHERE seq = ?")) {
                for (io.telesignal.core.audit.AuditRecord r : records) {
                    String hash = io.telesignal.core.audit.AuditChain.hash(r.seq(), r.event(), prev);
                    update.setString(1, prev);
                    update.setString(2, hash);
                    update.setLong(3, r.seq());
                    update.executeUpdate();
                    prev = hash;
                }
            }
            try (PreparedStatement head = c.prepareStatement("UPDATE audit_head SET chain_hash = ? WHERE id = 1")) {
                head.setString(1, prev);
                head.executeUpdate();
            }
            if (postgres) {
                c.createStatement().execute("ALTER TABLE audit_events ENABLE TRIGGER USER");
            }
        }
    }
}
