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
}
