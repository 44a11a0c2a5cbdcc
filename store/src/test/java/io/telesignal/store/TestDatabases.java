package io.telesignal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real databases for tests: an H2 file in a temporary folder, or the PostgreSQL on 127.0.0.1:5432 (database
 * {@code test}, trust auth) in a schema of its own that is dropped afterwards.
 *
 * <p>PostgreSQL is located by {@code TELESIGNAL_TEST_PG_URL} / {@code TELESIGNAL_TEST_PG_USER}. When it cannot
 * be reached the test fails under CI ({@code CI=true}) and is skipped with a loud message elsewhere.
 */
public final class TestDatabases {
    public static final String PG_URL = env("TELESIGNAL_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = env("TELESIGNAL_TEST_PG_USER", "postgres");

    /** The key-encryption key test stores are unlocked with. */
    public static final byte[] KEK = new byte[32];

    static {
        java.util.Arrays.fill(KEK, (byte) 7);
    }

    private TestDatabases() {}

    public static JdbcSettings h2(Path dir) {
        return JdbcSettings.h2File(dir.resolve("telesignal"));
    }

    /** Settings for a fresh schema; call {@link #dropSchema} when done. */
    public static JdbcSettings postgres() {
        requirePostgres();
        String schema = "ts_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new JdbcSettings(PG_URL, PG_USER, "", Optional.of(schema), 4, Duration.ofSeconds(5));
    }

    public static void dropSchema(JdbcSettings settings) {
        settings.schema().ifPresent(schema -> {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test schema " + schema, e);
            }
        });
    }

    public static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.isValid(2);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at " + PG_URL + " as " + PG_USER + ": " + e.getSQLState()
                    + ". Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message, e);
            }
            System.err.println("!!!!!!!! SKIPPING POSTGRESQL TEST: " + message);
            Assumptions.abort(message);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
