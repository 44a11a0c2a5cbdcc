package io.telesignal.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The migrations bundled, as Flyway records them once applied ({@code migration-index.txt}): a start whose
 * {@code flyway_schema_history} holds exactly these, all successful and with the same checksums, has nothing to
 * migrate and nothing Flyway's validation would refuse, so it skips Flyway (a third of a second of a start, most of it
 * loading and scanning). Anything else (no history, a migration missing or failed, a checksum that differs, one
 * unknown to this version) goes to Flyway as before. MigrationIndexTest keeps the file true to the scripts.
 */
final class MigrationIndex {
    static final String RESOURCE = "/io/telesignal/store/migration-index.txt";

    /** One bundled migration; {@code postgresqlOnly} for those in {@code migration-postgresql}. */
    record Entry(String version, String script, int checksum, boolean postgresqlOnly) {
        String key() {
            return version + " " + script + " " + checksum;
        }
    }

    private static final List<Entry> ENTRIES = load();

    private MigrationIndex() {}

    static List<Entry> entries() {
        return ENTRIES;
    }

    private static List<Entry> load() {
        InputStream in = MigrationIndex.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the build");
        }
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split(" ");
                entries.add(new Entry(fields[0], fields[1], Integer.parseInt(fields[2]), fields[3].equals("postgresql")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(entries);
    }

    /** The newest version bundled for this kind of database. */
    static String latest(boolean h2) {
        return entries().stream().filter(e -> !h2 || !e.postgresqlOnly())
                .map(Entry::version).reduce((a, b) -> b).orElse("0");
    }

    /** Whether the database's migration history is exactly what this version bundles for it; false on any doubt. */
    static boolean applied(DataSource dataSource, Optional<String> schema, boolean h2) {
        Set<String> expected = new HashSet<>();
        for (Entry entry : entries()) {
            if (!h2 || !entry.postgresqlOnly()) {
                expected.add(entry.key());
            }
        }
        String table = schema.map(s -> "\"" + s.replace("\"", "\"\"") + "\".").orElse("") + "\"flyway_schema_history\"";
        try (Connection c = dataSource.getConnection(); Statement query = c.createStatement();
                ResultSet rows = query.executeQuery("SELECT \"version\", \"script\", \"checksum\", \"success\" FROM " + table)) {
            Set<String> found = new HashSet<>();
            while (rows.next()) {
                String version = rows.getString(1);
                if (!rows.getBoolean(4)) {
                    return false; // a failed migration: Flyway says what to do
                }
                if (version == null) {
                    continue; // the row that records Flyway creating the schema
                }
                int checksum = rows.getInt(3);
                if (rows.wasNull() || !found.add(version + " " + rows.getString(2) + " " + checksum)) {
                    return false;
                }
            }
            return found.equals(expected);
        } catch (SQLException noHistoryYet) {
            return false;
        }
    }
}
