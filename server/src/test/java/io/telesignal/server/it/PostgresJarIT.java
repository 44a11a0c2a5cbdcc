package io.telesignal.server.it;

import io.telesignal.server.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.store.JdbcSettings;
import io.telesignal.store.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar on PostgreSQL: proves Flyway's PostgreSQL plugin survived the merge of service files. */
class PostgresJarIT {
    @TempDir
    Path dataDir;
    private JdbcSettings database;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        database = TestDatabases.postgres();
        env = Map.of("TELESIGNAL_STORE_URL", database.url(), "TELESIGNAL_STORE_USERNAME", database.username(),
                "TELESIGNAL_STORE_SCHEMA", database.schema().orElseThrow(), "TELESIGNAL_HTTP_PORT", "0",
                "TELESIGNAL_HTTP_HOST", "127.0.0.1");
    }

    @AfterEach
    void tearDown() {
        TestDatabases.dropSchema(database);
    }

    @Test
    void migrateThenServeOnPostgres() throws Exception {
        try (ServerProcess migrate = ServerProcess.start(env, "migrate", "--data-dir", dataDir.toString())) {
            assertThat(migrate.waitForExit(Duration.ofSeconds(60))).as(migrate.stderr()).isZero();
            assertThat(migrate.drainedLines()).contains("applied 21 migration(s)");
        }
        try (ServerProcess server = ServerProcess.start(env, "serve", "--demo", "--data-dir", dataDir.toString())) {
            String started = server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            assertThat(started).contains("store=postgresql");
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
        try (ServerProcess verify = ServerProcess.start(env, "audit", "verify", "--data-dir", dataDir.toString())) {
            assertThat(verify.waitForExit(Duration.ofSeconds(60))).isZero();
            // four demo users, server started, server stopped
            assertThat(verify.drainedLines()).anyMatch(line -> line.matches("audit chain intact: 6 records, head [0-9a-f]{64}"));
        }
    }
}
