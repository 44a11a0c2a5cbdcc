package io.telesignal.store;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.upload.UploadStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Uploads in {@code uploads}: file names and contents sealed under the slot's id. A reservation locks its owner's row,
 * so the quota holds across nodes.
 */
public final class JdbcUploadStore implements UploadStore {
    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcUploadStore(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    private static String context(String column, String id) {
        return DataKeys.context("uploads", column, id);
    }

    @Override
    public boolean reserve(Slot slot, long quota, Instant now) {
        String name = cipher.seal(slot.filename(), context("filename", slot.id()));
        return tx.inTransaction("reserve upload slot", c -> {
            if (!Transactions.lockUser(c, slot.owner()) || used(c, slot.owner(), now) + slot.size() > quota
                    || find(c, slot.id()).isPresent()) {
                return false;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO uploads (id, owner_id, filename,"
                    + " content_type, size, put_token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, slot.id());
                insert.setString(2, slot.owner().value());
                insert.setString(3, name);
                insert.setString(4, slot.contentType());
                insert.setLong(5, slot.size());
                insert.setString(6, slot.putTokenHash());
                insert.setObject(7, JdbcDirectory.utc(slot.createdAt()));
                insert.setObject(8, JdbcDirectory.utc(slot.expiresAt()));
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Optional<Slot> slot(String id) {
        return tx.read("read upload slot", c -> find(c, id));
    }

    private Optional<Slot> find(Connection c, String id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT owner_id, filename, content_type, size, put_token_hash,"
                + " created_at, expires_at, uploaded_at FROM uploads WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OffsetDateTime uploaded = rs.getObject(8, OffsetDateTime.class);
                return Optional.of(new Slot(id, new UserId(rs.getString(1)), cipher.open(rs.getString(2),
                        context("filename", id)), rs.getString(3), rs.getLong(4), rs.getString(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getObject(7, OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(uploaded).map(OffsetDateTime::toInstant)));
            }
        }
    }

    @Override
    public Put put(String id, byte[] data, Instant now) {
        byte[] sealed = cipher.sealBytes(data, context("content", id));
        return tx.inTransaction("put upload", c -> {
            Optional<Slot> slot;
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM uploads WHERE id = ? FOR UPDATE")) {
                lock.setString(1, id);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        return Put.UNKNOWN;
                    }
                }
            }
            slot = find(c, id);
            if (slot.isEmpty()) {
                return Put.UNKNOWN;
            }
            if (slot.get().uploadedAt().isPresent()) {
                return Put.ALREADY;
            }
            if (!now.isBefore(slot.get().expiresAt())) {
                return Put.EXPIRED;
            }
            if (data.length != slot.get().size()) {
                return Put.WRONG_SIZE;
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE uploads SET content = ?, uploaded_at = ? WHERE id = ?")) {
                update.setBytes(1, sealed);
                update.setObject(2, JdbcDirectory.utc(now));
                update.setString(3, id);
                update.executeUpdate();
            }
            return Put.STORED;
        });
    }

    @Override
    public Optional<byte[]> content(String id) {
        Optional<byte[]> sealed = tx.read("read upload", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT content FROM uploads WHERE id = ? AND uploaded_at IS NOT NULL")) {
                query.setString(1, id);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
        return sealed.map(bytes -> cipher.openBytes(bytes, context("content", id)));
    }

    private static long used(Connection c, UserId owner, Instant now) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM uploads WHERE owner_id = ?"
                + " AND (uploaded_at IS NOT NULL OR expires_at > ?)")) {
            query.setString(1, owner.value());
            query.setObject(2, JdbcDirectory.utc(now));
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public int purge(Instant cutoff, Instant now) {
        return tx.inTransaction("purge uploads", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM uploads WHERE (uploaded_at IS NOT NULL"
                    + " AND uploaded_at < ?) OR (uploaded_at IS NULL AND expires_at <= ?)")) {
                delete.setObject(1, JdbcDirectory.utc(cutoff));
                delete.setObject(2, JdbcDirectory.utc(now));
                return delete.executeUpdate();
            }
        });
    }
}
