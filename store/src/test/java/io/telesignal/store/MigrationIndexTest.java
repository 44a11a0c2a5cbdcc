package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * migration-index.txt is what Flyway records for the bundled scripts, and a start trusts it only when the database's
 * history matches it exactly: otherwise Flyway runs (and validates) as before.
 */
class MigrationIndexTest {
    @TempDir
    Path dir;

    @Test
    void theIndexListsEveryScriptWithFlywaysChecksum() throws Exception {
        Flyway flyway = Flyway.configure().dataSource("jdbc:h2:mem:index-check;DB_CLOSE_DELAY=-1", "", "")
                .locations(JdbcStore.MIGRATIONS, JdbcStore.MIGRATIONS_POSTGRESQL).load();
        List<String> postgresqlOnly = scripts("migration-postgresql");
        String expected = Stream.of(flyway.info().all())
                .map(m -> m.getVersion() + " " + m.getScript() + " " + m.getChecksum() + " "
                        + (postgresqlOnly.contains(m.getScript()) ? "postgresql" : "all"))
                .collect(Collectors.joining("\n"));
        String indexed = MigrationIndex.entries().stream()
                .map(e -> e.key() + " " + (e.postgresqlOnly() ? "postgresql" : "all")).collect(Collectors.joining("\n"));
        assertThat(indexed).as("store/src/main/resources" + MigrationIndex.RESOURCE + " should read").isEqualTo(expected);
        assertThat(MigrationIndex.entries()).hasSize(scripts("migration").size() + postgresqlOnly.size());
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void aStoreMigratedToThisVersionSkipsFlywayAndAnyDifferenceGoesToFlyway(StoreFixture.Kind kind) throws Exception {
        boolean h2 = kind == StoreFixture.Kind.H2;
        JdbcSettings settings = h2 ? TestDatabases.h2(dir) : TestDatabases.postgres();
        try (JdbcStore store = JdbcStore.open(settings)) {
            assertThat(MigrationIndex.applied(store.dataSource(), settings.schema(), h2)).as("nothing applied yet").isFalse();
            assertThat(store.migrate()).isEqualTo(h2 ? 20 : 21);
            assertThat(MigrationIndex.applied(store.dataSource(), settings.schema(), h2)).isTrue();
            assertThat(store.migrate()).isZero();

            String table = settings.schema().map(s -> s + ".").orElse("") + "\"flyway_schema_history\"";
            try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("UPDATE " + table + " SET \"checksum\" = 42 WHERE \"version\" = '3'");
            }
            // a script changed since it was applied: not trusted, and Flyway's validation refuses it as before
            assertThat(MigrationIndex.applied(store.dataSource(), settings.schema(), h2)).isFalse();
            assertThatThrownBy(store::migrate).isInstanceOf(StoreException.class);
            try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("UPDATE " + table + " SET \"checksum\" = "
                        + MigrationIndex.entries().get(2).checksum() + " WHERE \"version\" = '3'");
                s.executeUpdate("DELETE FROM " + table + " WHERE \"version\" = '21'");
            }
            // the newest migration not applied (an older database): Flyway applies it
            assertThat(MigrationIndex.applied(store.dataSource(), settings.schema(), h2)).isFalse();
        } finally {
            if (!h2) {
                TestDatabases.dropSchema(settings);
            }
        }
    }

    private static List<String> scripts(String folder) throws URISyntaxException, java.io.IOException {
        Path path = Path.of(MigrationIndex.class.getResource("/io/telesignal/store/" + folder).toURI());
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
    }
}
