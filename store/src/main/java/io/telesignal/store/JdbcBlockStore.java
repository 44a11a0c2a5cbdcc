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
    public java.util.Set<UserId> blockers(Collection<UserId> owners, Collection<String> addresses) {
        if (owners.isEmpty() || addresses.isEmpty()) {
            return java.util.Set.of();
        }
        List<UserId> all = List.copyOf(new LinkedHashSet<>(owners));
        List<String> jids = List.copyOf(new LinkedHashSet<>(addresses));
        return tx.read("read blockers", c -> {
            java.util.Set<UserId> found = new java.util.HashSet<>();
            for (int from = 0; from < all.size(); from += 100) { // IN lists of bounded length
                List<UserId> chunk = all.subList(from, Math.min(all.size(), from + 100));
                try (PreparedStatement query = c.prepareStatement("SELECT DISTINCT owner_id FROM blocked_jids WHERE owner_id IN ("
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ") AND jid IN ("
                        + String.join(", ", java.util.Collections.nCopies(jids.size(), "?")) + ")")) {
                    int at = 1;
                    for (UserId owner : chunk) {
                        query.setString(at++, owner.value());
                    }
                    for (String jid : jids) {
                        query.setString(at++, jid);
                    }
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            found.add(new UserId(rs.getString(1)));
                        }
                    }
                }
            }
            return java.util.Set.copyOf(found);
        });
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
