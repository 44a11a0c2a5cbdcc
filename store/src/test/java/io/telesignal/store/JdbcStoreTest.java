package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcStoreTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void migrationsRunOnceAndAreIdempotent(StoreFixture.Kind kind) {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            assertThat(fixture.store().migrate()).isZero();
            fixture.store().ping();
        }
    }

    /** V11: the SIP digest and SCRAM material derived from account passwords is gone, the password hashes stay. */
    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void theDevicePasswordMigrationRemovesMaterialDerivedFromAccountPasswords(StoreFixture.Kind kind) throws Exception {
        JdbcSettings settings = kind == StoreFixture.Kind.H2 ? TestDatabases.h2(dir) : TestDatabases.postgres();
        String ha1 = "5f4dcc3b5aa765d61d8327deb882cf99";
        try (JdbcStore store = JdbcStore.open(settings)) {
            var flyway = org.flywaydb.core.Flyway.configure().dataSource(store.dataSource())
                    .target(kind == StoreFixture.Kind.H2 ? "9" : "10")
                    .locations(kind == StoreFixture.Kind.H2 ? new String[] {JdbcStore.MIGRATIONS}
                            : new String[] {JdbcStore.MIGRATIONS, JdbcStore.MIGRATIONS_POSTGRESQL});
            settings.schema().ifPresent(schema -> flyway.schemas(schema).defaultSchema(schema).createSchemas(true));
            flyway.load().migrate();
            try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO users (id, login, display_name, enabled, created_at)"
                        + " VALUES ('u1', 'alice', 'Alice', TRUE, CURRENT_TIMESTAMP)");
                s.executeUpdate("INSERT INTO credentials (user_id, password_hash, sip_realm, sip_ha1_md5, sip_ha1_sha256,"
                        + " scram_salt, scram_iterations, scram_stored_key, scram_server_key, updated_at) VALUES ('u1',"
                        + " '$argon2id$kept', 'telesignal', '" + ha1 + "', '" + ha1 + ha1 + "', 'c2FsdA==', 4096,"
                        + " 'c3RvcmVkS2V5', 'c2VydmVyS2V5', CURRENT_TIMESTAMP)");
            }

            assertThat(store.migrate()).as("V11 to V21").isEqualTo(11);

            try (var c = store.dataSource().getConnection(); var s = c.createStatement();
                    var rs = s.executeQuery("SELECT * FROM credentials")) {
                var columns = new java.util.ArrayList<String>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    columns.add(rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                }
                assertThat(columns).containsExactly("user_id", "password_hash", "updated_at");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("password_hash")).isEqualTo("$argon2id$kept");
            }
            assertThat(store.directory().credentials(new io.telesignal.core.identity.UserId("u1"))).isPresent();
        } finally {
            TestDatabases.dropSchema(settings);
        }
    }

    @Test
    void h2FileHeldByAnotherProcessGivesAClearError() throws Exception {
        JdbcSettings settings = TestDatabases.h2(dir);
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldH2Database.class.getName(), settings.url())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertThat(first).isEqualTo("open");

            assertThatThrownBy(() -> JdbcStore.open(settings))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("open in another process")
                    .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo("store_locked"));
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            holder.destroy();
        }
    }

    @Test
    void aMigrationHistoryThatDoesNotMatchIsReportedAsSuch() throws Exception {
        try (StoreFixture fixture = new StoreFixture(StoreFixture.Kind.H2, dir)) {
            try (var c = fixture.store().dataSource().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("UPDATE \"flyway_schema_history\" SET \"checksum\" = 42 WHERE \"version\" = '1'");
            }
            assertThatThrownBy(() -> fixture.store().migrate())
                    .isInstanceOfSatisfying(StoreException.class, e -> {
                        assertThat(e.code()).isEqualTo("store_migration_failed");
                        assertThat(e.getMessage()).contains("migration history does not match");
                    });
        }
    }

    @Test
    void unreachablePostgresFailsFastWithStoreUnavailable() {
        JdbcSettings nowhere = new JdbcSettings("jdbc:postgresql://127.0.0.1:1/test", "postgres", "", Optional.empty(),
                1, Duration.ofMillis(500));
        assertThatThrownBy(() -> JdbcStore.open(nowhere))
                .isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).code()).isIn("store_failed", "store_unavailable"));
    }

    @Test
    void settingsRefuseOtherDatabasesAndBadSchemas() {
        assertThatThrownBy(() -> new JdbcSettings("jdbc:mysql://x/y", "u", "", Optional.empty(), 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JdbcSettings("jdbc:postgresql://x/y", "u", "", Optional.of("x; drop"), 1,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void h2CommitsWithoutWriteDelayWhateverTheUrlSays() throws Exception {
        JdbcSettings settings = new JdbcSettings(TestDatabases.h2(dir).url() + ";WRITE_DELAY=500", "sa", "",
                Optional.empty(), 2, Duration.ofSeconds(5));
        try (JdbcStore store = JdbcStore.open(settings); var c = store.dataSource().getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
    }

    @Test
    void postgresConnectionsTurnSynchronousCommitBackOnAndKeepStrongerSettings() throws Exception {
        TestDatabases.requirePostgres();
        // a server (here: the connection's options) configured to acknowledge commits before they are flushed
        String off = TestDatabases.PG_URL + (TestDatabases.PG_URL.contains("?") ? "&" : "?")
                + "options=-c%20synchronous_commit=off";
        String remote = TestDatabases.PG_URL + (TestDatabases.PG_URL.contains("?") ? "&" : "?")
                + "options=-c%20synchronous_commit=remote_apply";
        assertThat(synchronousCommit(off)).isEqualTo("on");
        assertThat(synchronousCommit(remote)).isEqualTo("remote_apply");
    }

    private static String synchronousCommit(String url) throws Exception {
        JdbcSettings settings = new JdbcSettings(url, TestDatabases.PG_USER, "", Optional.empty(), 1,
                Duration.ofSeconds(5));
        try (JdbcStore store = JdbcStore.open(settings); var c = store.dataSource().getConnection();
                var s = c.createStatement(); var rs = s.executeQuery("SHOW synchronous_commit")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
