package io.telesignal.store;

import io.telesignal.core.archive.ArchiveQuery;
import io.telesignal.core.archive.ArchiveStore;
import io.telesignal.core.archive.ArchivedMessage;
import io.telesignal.core.identity.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Message archives in {@code archive_messages}, each stanza sealed ({@link FieldCipher}) under its owner and id. */
public final class JdbcArchiveStore implements ArchiveStore {
    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcArchiveStore(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    private static String context(UserId owner, String id) {
        return DataKeys.context("archive_messages", "stanza", owner.value(), id);
    }

    @Override
    public void append(ArchivedMessage message) {
        String sealed = cipher.seal(message.stanza(), context(message.owner(), message.id()));
        tx.inTransaction("archive message", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO archive_messages (id, owner_id, with_jid,"
                    + " stanza, stored_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, message.id());
                insert.setString(2, message.owner().value());
                insert.setString(3, message.with());
                insert.setString(4, sealed);
                insert.setObject(5, JdbcDirectory.utc(message.at()));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** One transaction, one batched insert. */
    @Override
    public void appendAll(List<ArchivedMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<String> sealed = new ArrayList<>(messages.size());
        for (ArchivedMessage message : messages) {
            sealed.add(cipher.seal(message.stanza(), context(message.owner(), message.id())));
        }
        tx.inTransaction("archive messages", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO archive_messages (id, owner_id, with_jid,"
                    + " stanza, stored_at) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < messages.size(); i++) {
                    ArchivedMessage message = messages.get(i);
                    insert.setString(1, message.id());
                    insert.setString(2, message.owner().value());
                    insert.setString(3, message.with());
                    insert.setString(4, sealed.get(i));
                    insert.setObject(5, JdbcDirectory.utc(message.at()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public ArchiveQuery.Page query(UserId owner, ArchiveQuery query) {
        return tx.read("query archive", c -> {
            StringBuilder where = new StringBuilder(" WHERE owner_id = ?");
            List<Object> values = new ArrayList<>(List.of(owner.value()));
            query.with().ifPresent(with -> {
                where.append(" AND with_jid = ?");
                values.add(with);
            });
            query.start().ifPresent(start -> {
                where.append(" AND stored_at >= ?");
                values.add(JdbcDirectory.utc(start));
            });
            query.end().ifPresent(end -> {
                where.append(" AND stored_at <= ?");
                values.add(JdbcDirectory.utc(end));
            });
            int count;
            try (PreparedStatement counting = prepare(c, "SELECT COUNT(*) FROM archive_messages" + where, values)) {
                try (ResultSet rs = counting.executeQuery()) {
                    rs.next();
                    count = rs.getInt(1);
                }
            }
            boolean backwards = query.before().isPresent();
            List<Object> paged = new ArrayList<>(values);
            StringBuilder bound = new StringBuilder(where);
            if (query.after().isPresent()) {
                bound.append(" AND seq > ?");
                paged.add(seqOf(c, owner, query.after().get()));
            } else if (backwards && !query.before().get().isEmpty()) {
                bound.append(" AND seq < ?");
                paged.add(seqOf(c, owner, query.before().get()));
            }
            paged.add(query.max() + 1);
            List<ArchivedMessage> rows = new ArrayList<>();
            try (PreparedStatement select = prepare(c, "SELECT id, with_jid, stanza, stored_at FROM archive_messages" + bound
                    + " ORDER BY seq " + (backwards ? "DESC" : "ASC") + " FETCH FIRST ? ROWS ONLY", paged)) {
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        rows.add(new ArchivedMessage(id, owner, rs.getString(2), cipher.open(rs.getString(3), context(owner, id)),
                                rs.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            boolean complete = rows.size() <= query.max();
            List<ArchivedMessage> page = new ArrayList<>(rows.subList(0, Math.min(rows.size(), query.max())));
            if (backwards) {
                Collections.reverse(page);
            }
            return new ArchiveQuery.Page(List.copyOf(page), complete, count);
        });
    }

    private static long seqOf(Connection c, UserId owner, String id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT seq FROM archive_messages WHERE owner_id = ? AND id = ?")) {
            query.setString(1, owner.value());
            query.setString(2, id);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new ArchiveItemNotFoundException();
                }
                return rs.getLong(1);
            }
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> values) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
        return statement;
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return tx.inTransaction("purge archive", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM archive_messages WHERE stored_at < ?")) {
                delete.setObject(1, JdbcDirectory.utc(cutoff));
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public io.telesignal.core.archive.ArchivePrefs prefs(UserId owner) {
        return tx.read("read archive preferences", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT default_mode, always_jids, never_jids FROM archive_prefs WHERE owner_id = ?")) {
                query.setString(1, owner.value());
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return io.telesignal.core.archive.ArchivePrefs.defaults(owner);
                    }
                    return new io.telesignal.core.archive.ArchivePrefs(owner,
                            io.telesignal.core.archive.ArchivePrefs.Mode.fromWireName(rs.getString(1)).orElseThrow(),
                            jids(rs.getString(2)), jids(rs.getString(3)));
                }
            }
        });
    }

    @Override
    public void setPrefs(io.telesignal.core.archive.ArchivePrefs prefs) {
        tx.inTransaction("set archive preferences", c -> {
            if (!Transactions.lockUser(c, prefs.owner())) {
                return null;
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM archive_prefs WHERE owner_id = ?")) {
                delete.setString(1, prefs.owner().value());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO archive_prefs (owner_id, default_mode,"
                    + " always_jids, never_jids) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, prefs.owner().value());
                insert.setString(2, prefs.mode().wireName());
                insert.setString(3, String.join("\n", new java.util.TreeSet<>(prefs.always())));
                insert.setString(4, String.join("\n", new java.util.TreeSet<>(prefs.never())));
                insert.executeUpdate();
            }
            return null;
        });
    }

    private static java.util.Set<String> jids(String lines) {
        return lines.isEmpty() ? java.util.Set.of() : java.util.Set.of(lines.split("\n"));
    }
}
