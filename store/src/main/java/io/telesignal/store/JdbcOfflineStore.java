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

/** Offline messages in {@code offline_messages}, each stanza sealed ({@link FieldCipher}); keeping and claiming lock the user. */
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
    public List<OfflineMessage> claim(UserId owner, String claimer, Instant now, Instant until, int max) {
        return tx.inTransaction("claim offline messages", c -> {
            if (!Transactions.lockUser(c, owner)) {
                return List.of();
            }
            List<OfflineMessage> messages = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement("SELECT seq, id, stanza, stored_at FROM offline_messages"
                    + " WHERE owner_id = ? AND (claimed_by IS NULL OR claimed_until <= ?) ORDER BY seq FETCH FIRST ? ROWS ONLY")) {
                query.setString(1, owner.value());
                query.setObject(2, JdbcDirectory.utc(now));
                query.setInt(3, max);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        messages.add(new OfflineMessage(rs.getLong(1), owner,
                                cipher.open(rs.getString(3), DataKeys.context("offline_messages", "stanza", rs.getString(2))),
                                rs.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            try (PreparedStatement mark = c.prepareStatement(
                    "UPDATE offline_messages SET claimed_by = ?, claimed_until = ? WHERE seq = ?")) {
                for (OfflineMessage message : messages) {
                    mark.setString(1, claimer);
                    mark.setObject(2, JdbcDirectory.utc(until));
                    mark.setLong(3, message.seq());
                    mark.addBatch();
                }
                if (!messages.isEmpty()) {
                    mark.executeBatch();
                }
            }
            return messages;
        });
    }

    @Override
    public int delete(UserId owner, List<Long> seqs) {
        return tx.inTransaction("delete offline messages", c -> {
            int deleted = 0;
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM offline_messages WHERE owner_id = ? AND seq = ?")) {
                for (long seq : seqs) {
                    delete.setString(1, owner.value());
                    delete.setLong(2, seq);
                    deleted += delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    @Override
    public void release(UserId owner, String claimer) {
        tx.inTransaction("release offline messages", c -> {
            try (PreparedStatement release = c.prepareStatement("UPDATE offline_messages SET claimed_by = NULL,"
                    + " claimed_until = NULL WHERE owner_id = ? AND claimed_by = ?")) {
                release.setString(1, owner.value());
                release.setString(2, claimer);
                release.executeUpdate();
            }
            return null;
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
