package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditVerifier;
import io.telesignal.core.audit.Outcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Edits and deletions made with plain SQL, as someone with database access would, are detected. */
class AuditTamperingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void editedRowIsDetected(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            appendFive(fixture);
            sql(fixture, "UPDATE audit_events SET outcome = 'ok' WHERE seq = 3");

            assertThat(new AuditVerifier().verify(fixture.store().auditLog()).firstBreak())
                    .contains(new AuditVerifier.Break(3, AuditVerifier.Problem.HASH_MISMATCH));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void rowEditedIntoNonsenseIsReportedNotFatal(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            appendFive(fixture);
            sql(fixture, "UPDATE audit_events SET outcome = 'maybe', event_type = 'NOT A TYPE' WHERE seq = 4");

            assertThat(new AuditVerifier().verify(fixture.store().auditLog()).firstBreak())
                    .contains(new AuditVerifier.Break(4, AuditVerifier.Problem.HASH_MISMATCH));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void deletedRowIsDetected(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            appendFive(fixture);
            sql(fixture, "DELETE FROM audit_events WHERE seq = 2");

            assertThat(new AuditVerifier().verify(fixture.store().auditLog()).firstBreak())
                    .contains(new AuditVerifier.Break(2, AuditVerifier.Problem.GAP));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void deletedNewestRowIsDetected(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            appendFive(fixture);
            sql(fixture, "DELETE FROM audit_events WHERE seq = 5");

            assertThat(new AuditVerifier().verify(fixture.store().auditLog()).firstBreak())
                    .contains(new AuditVerifier.Break(5, AuditVerifier.Problem.TRUNCATED));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void untouchedChainVerifies(StoreFixture.Kind kind) {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            appendFive(fixture);
            AuditVerifier.Verification verification = new AuditVerifier().verify(fixture.store().auditLog());
            assertThat(verification.intact()).isTrue();
            assertThat(verification.recordsChecked()).isEqualTo(5);
        }
    }

    private static void appendFive(StoreFixture fixture) {
        for (int i = 1; i <= 5; i++) {
            fixture.store().auditLog().append(AuditEvent.of("consultation.admitted", "u" + i, Outcome.DENIED)
                    .consultation("c1").at(Instant.parse("2026-03-01T10:00:00.000001Z").plusSeconds(i)));
        }
    }

    @org.junit.jupiter.api.Test
    void onPostgresTheAuditTableRefusesUpdatesDeletesAndTruncation() throws Exception {
        try (StoreFixture fixture = new StoreFixture(StoreFixture.Kind.POSTGRES, dir)) {
            appendFive(fixture);
            for (String change : new String[] {"UPDATE audit_events SET outcome = 'ok' WHERE seq = 3",
                "DELETE FROM audit_events WHERE seq = 5", "TRUNCATE audit_events"}) {
                try (Connection c = fixture.store().dataSource().getConnection(); Statement s = c.createStatement()) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.executeUpdate(change)).as(change)
                            .isInstanceOfSatisfying(java.sql.SQLException.class, e -> {
                                assertThat(e.getSQLState()).isEqualTo("42501");
                                assertThat(e.getMessage()).contains("audit_events is append-only");
                            });
                }
            }
            assertThat(new AuditVerifier().verify(fixture.store().auditLog()).intact()).isTrue();
            assertThat(fixture.store().auditLog().head().seq()).isEqualTo(5);
        }
    }

    /** As the tables' owner would: on PostgreSQL, past the append-only triggers, which takes disabling them first. */
    private static void sql(StoreFixture fixture, String statement) throws Exception {
        try (Connection c = fixture.store().dataSource().getConnection(); Statement s = c.createStatement()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            if (postgres) {
                s.execute("ALTER TABLE audit_events DISABLE TRIGGER USER");
            }
            s.executeUpdate(statement);
            if (postgres) {
                s.execute("ALTER TABLE audit_events ENABLE TRIGGER USER");
            }
        }
    }
}
