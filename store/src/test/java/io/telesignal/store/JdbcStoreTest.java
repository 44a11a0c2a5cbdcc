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
}
