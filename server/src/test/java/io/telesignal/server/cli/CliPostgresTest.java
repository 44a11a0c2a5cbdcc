package io.telesignal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.store.JdbcSettings;
import io.telesignal.store.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against PostgreSQL, configured through environment variables as an operator would. */
class CliPostgresTest {
    @TempDir
    Path dataDir;
    private JdbcSettings database;
    private CliRunner cli;

    @BeforeEach
    void setUp() {
        database = TestDatabases.postgres();
        cli = new CliRunner()
                .env("TELESIGNAL_STORE_URL", database.url())
                .env("TELESIGNAL_STORE_USERNAME", database.username())
                .env("TELESIGNAL_STORE_SCHEMA", database.schema().orElseThrow());
    }

    @AfterEach
    void tearDown() {
        TestDatabases.dropSchema(database);
    }

    @Test
    void migrateUsersTokensAndAuditVerifyOnPostgres() throws Exception {
        assertThat(cli.run("migrate", "--data-dir", dataDir.toString()).out().trim()).isEqualTo("applied 21 migration(s)");
        CliRunner.Result added = cli.runWithInput("long enough password\n", "user", "add", "pat", "--name", "Pat",
                "--roles", "patient", "--password-stdin", "--data-dir", dataDir.toString());
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(cli.run("user", "list", "--data-dir", dataDir.toString()).out()).contains("pat");
        assertThat(cli.run("token", "issue", "--user", "pat", "--data-dir", dataDir.toString()).exit()).isZero();
        assertThat(cli.run("user", "roles", "pat", "--add", "provider", "--data-dir", dataDir.toString()).out())
                .contains("roles=patient,provider");

        CliRunner.Result intact = cli.run("audit", "verify", "--data-dir", dataDir.toString());
        assertThat(intact.exit()).isZero();
        assertThat(intact.out().trim()).matches("audit chain intact: 3 records, head [0-9a-f]{64}");

        AuditTampering.editOutcome(database, 3);
        CliRunner.Result broken = cli.run("audit", "verify", "--data-dir", dataDir.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).startsWith("audit chain BROKEN at record 3: hash_mismatch");
    }
}
