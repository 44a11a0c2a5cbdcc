package io.telesignal.store;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.offline.OfflineMessage;
import io.telesignal.core.offline.OfflineStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Offline messages in {@code offline_messages}, each stanza sealed ({@link FieldCipher}); keeping one locks its user. */
public final class JdbcOfflineStore implements OfflineStore {
    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcOfflineStore(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    @Override
    public boolean keep(UserId owner, String stanza, Instant at, int limit) {
        new OfflineMessage(0, owner, stanza, at); // the size check
        String id = UUID.randomUUID().toString().replace("-", "");
        String sealed = cipher.seal(stanza, DataKeys.context("offline_messages", "stanza", id));
        return tx.inTransaction("keep offline message", c -> {
            if (!Transactions.lockUser(c, owner)) {
                return false;
            }
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM offline_messages WHERE owner_id = ?")) {
                count.setString(1, owner.value());
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= limit) {
                        return false;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO offline_messages (id, owner_id, stanza, stored_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, owner.value());
                insert.setString(3, sealed);
                insert.setObject(4, JdbcDirectory.utc(at));
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public List<OfflineMessage> oldest(UserId owner, int max) {
        return tx.read("read offline messages", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT seq, id, stanza, stored_at FROM offline_messages"
                    + " WHERE owner_id = ? ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
                query.setString(1, owner.value());
                query.setInt(2, max);
                try (ResultSet rs = query.executeQuery()) {
                    List<OfflineMessage> messages = new ArrayList<>();
                    while (rs.next()) {
                        messages.add(new OfflineMessage(rs.getLong(1), owner,
                                cipher.open(rs.getString(3), DataKeys.context("offline_messages", "stanza", rs.getString(2))),
                                rs.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                    return messages;
                }
            }
        });
    }

    @Override
    public int deleteUpTo(UserId owner, long seq) {
        return tx.inTransaction("delete offline messages", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM offline_messages WHERE owner_id = ? AND seq <= ?")) {
                delete.setString(1, owner.value());
                delete.setLong(2, seq);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return tx.inTransaction("purge offline messages", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM offline_messages WHERE stored_at < ?")) {
                delete.setObject(1, JdbcDirectory.utc(cutoff));
                return delete.executeUpdate();
            }
        });
    }
}
