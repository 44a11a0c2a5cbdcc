package io.telesignal.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the database.
 *
 * @param url      JDBC URL: {@code jdbc:h2:file:...} or {@code jdbc:postgresql://...}
 * @param schema   schema to create and use (PostgreSQL); empty for the database's default
 * @param poolSize maximum pooled connections; also bounds concurrent JDBC work
 */
public record JdbcSettings(String url, String username, String password, Optional<String> schema, int poolSize,
        Duration connectionTimeout) {
    public JdbcSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("only H2 and PostgreSQL JDBC URLs are supported");
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("pool size must be 1-200");
        }
        schema.ifPresent(s -> {
            if (!s.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("schema must match [a-z_][a-z0-9_]{0,62}");
            }
        });
    }

    public static JdbcSettings h2File(java.nio.file.Path file) {
        return new JdbcSettings("jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "",
                Optional.empty(), 8, Duration.ofSeconds(10));
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    @Override
    public String toString() {
        return "JdbcSettings[url=" + url.replaceAll("password=[^&;]*", "password=***") + ", schema=" + schema + "]";
    }
}
