package io.telesignal.store;

import io.telesignal.core.blocking.BlockStore;
import io.telesignal.core.identity.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/** Block lists in {@code blocked_jids}; every change locks the owner's row, so the limit holds across nodes. */
public final class JdbcBlockStore implements BlockStore {
    private final Transactions tx;

    JdbcBlockStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<String> blocked(UserId owner) {
        return tx.read("read block list", c -> list(c, owner));
    }

    private static List<String> list(Connection c, UserId owner) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT jid FROM blocked_jids WHERE owner_id = ? ORDER BY seq")) {
            query.setString(1, owner.value());
            try (ResultSet rs = query.executeQuery()) {
                List<String> jids = new ArrayList<>();
                while (rs.next()) {
                    jids.add(rs.getString(1));
                }
                return jids;
            }
        }
    }

    @Override
    public boolean block(UserId owner, Collection<String> jids, int max) {
        return tx.inTransaction("block", c -> {
            Transactions.lockUser(c, owner);
            List<String> now = list(c, owner);
            LinkedHashSet<String> added = new LinkedHashSet<>(jids);
            added.removeAll(now);
            if (now.size() + added.size() > max) {
                return false;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO blocked_jids (owner_id, jid, blocked_at) VALUES (?, ?, ?)")) {
                for (String jid : added) {
                    insert.setString(1, owner.value());
                    insert.setString(2, jid);
                    insert.setObject(3, JdbcDirectory.utc(Instant.now()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return true;
        });
    }

    @Override
    public List<String> unblock(UserId owner, Collection<String> jids) {
        return tx.inTransaction("unblock", c -> {
            Transactions.lockUser(c, owner);
            List<String> now = list(c, owner);
            List<String> removed = jids.isEmpty() ? now : now.stream().filter(jids::contains).toList();
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM blocked_jids WHERE owner_id = ? AND jid = ?")) {
                for (String jid : removed) {
                    delete.setString(1, owner.value());
                    delete.setString(2, jid);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return removed;
        });
    }
}
