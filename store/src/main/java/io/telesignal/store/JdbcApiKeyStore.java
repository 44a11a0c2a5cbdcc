package io.telesignal.store;

import io.telesignal.core.apikey.ApiKey;
import io.telesignal.core.apikey.ApiKeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** API keys in table {@code api_keys}. */
public final class JdbcApiKeyStore implements ApiKeyStore {
    private final Transactions tx;

    JdbcApiKeyStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void create(ApiKey key) {
        tx.inTransaction("create api key", c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO api_keys (id, name, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, key.id());
                insert.setString(2, key.name());
                insert.setString(3, key.secretHash());
                insert.setObject(4, JdbcDirectory.utc(key.createdAt()));
                insert.setObject(5, key.revokedAt().map(JdbcDirectory::utc).orElse(null));
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return tx.read("find api key", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT id, name, secret_hash, created_at, revoked_at FROM api_keys WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(key(rs)) : Optional.<ApiKey>empty();
                }
            }
        });
    }

    @Override
    public List<ApiKey> list() {
        return tx.read("list api keys", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT id, name, secret_hash, created_at, revoked_at FROM api_keys ORDER BY created_at, id");
                    ResultSet rs = query.executeQuery()) {
                List<ApiKey> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(key(rs));
                }
                return keys;
            }
        });
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return tx.inTransaction("revoke api key", c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")) {
                update.setObject(1, JdbcDirectory.utc(at));
                update.setString(2, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        OffsetDateTime revoked = rs.getObject(5, OffsetDateTime.class);
        return new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(), Optional.ofNullable(revoked).map(OffsetDateTime::toInstant));
    }
}
