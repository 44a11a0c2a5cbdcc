package io.telesignal.store;

import io.telesignal.core.groupchat.Affiliation;
import io.telesignal.core.groupchat.GroupRoom;
import io.telesignal.core.groupchat.RoomMessage;
import io.telesignal.core.groupchat.RoomStore;
import io.telesignal.core.identity.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rooms in {@code muc_rooms}, {@code muc_affiliations} and {@code muc_history}; a room's title, description, subject
 * and its setter, and each history stanza, sealed ({@link FieldCipher}). Affiliation changes lock the room's row, so
 * two owners cannot both step down at once.
 */
public final class JdbcRoomStore implements RoomStore {
    private static final String COLUMNS = "name, title, description, subject, subject_by, persistent, members_only,"
            + " moderated, listed, non_anonymous, change_subject, max_occupants, locked, created_at";
    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcRoomStore(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    private String seal(String column, String room, String value) {
        return cipher.seal(value, DataKeys.context("muc_rooms", column, room));
    }

    private String open(String column, String room, String value) {
        return cipher.open(value, DataKeys.context("muc_rooms", column, room));
    }

    @Override
    public Optional<GroupRoom> find(String name) {
        return tx.read("read room", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM muc_rooms WHERE name = ?")) {
                query.setString(1, name);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(room(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean create(GroupRoom room, UserId owner) {
        return tx.inTransaction("create room", c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM muc_rooms WHERE name = ?")) {
                exists.setString(1, room.name());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO muc_rooms (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, room);
                insert.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false; // created at the same moment by another node
                }
                throw e;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO muc_affiliations (room, user_id, affiliation) VALUES (?, ?, ?)")) {
                insert.setString(1, room.name());
                insert.setString(2, owner.value());
                insert.setString(3, Affiliation.OWNER.wireName());
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean update(GroupRoom room) {
        return tx.inTransaction("update room", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE muc_rooms SET title = ?, description = ?,"
                    + " subject = ?, subject_by = ?, persistent = ?, members_only = ?, moderated = ?, listed = ?,"
                    + " non_anonymous = ?, change_subject = ?, max_occupants = ?, locked = ? WHERE name = ?")) {
                bindConfiguration(update, 1, room);
                update.setString(13, room.name());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return tx.inTransaction("delete room", c -> {
            // the history and affiliations go by cascade
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM muc_rooms WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<GroupRoom> listed() {
        return tx.read("list rooms", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM muc_rooms WHERE listed AND NOT locked ORDER BY name FETCH FIRST 1000 ROWS ONLY");
                    ResultSet rs = query.executeQuery()) {
                List<GroupRoom> rooms = new ArrayList<>();
                while (rs.next()) {
                    rooms.add(room(rs));
                }
                return rooms;
            }
        });
    }

    @Override
    public int ownedBy(UserId user) {
        return tx.read("count owned rooms", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT COUNT(*) FROM muc_affiliations WHERE user_id = ? AND affiliation = ?")) {
                query.setString(1, user.value());
                query.setString(2, Affiliation.OWNER.wireName());
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public Map<UserId, Affiliation> affiliations(String room) {
        return tx.read("read affiliations", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT user_id, affiliation FROM muc_affiliations WHERE room = ?")) {
                query.setString(1, room);
                try (ResultSet rs = query.executeQuery()) {
                    Map<UserId, Affiliation> all = new HashMap<>();
                    while (rs.next()) {
                        all.put(new UserId(rs.getString(1)), Affiliation.fromWireName(rs.getString(2)).orElseThrow());
                    }
                    return all;
                }
            }
        });
    }

    @Override
    public Affiliation affiliation(String room, UserId user) {
        return tx.read("read affiliation", c -> affiliation(c, room, user));
    }

    private static Affiliation affiliation(Connection c, String room, UserId user) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT affiliation FROM muc_affiliations WHERE room = ? AND user_id = ?")) {
            query.setString(1, room);
            query.setString(2, user.value());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Affiliation.fromWireName(rs.getString(1)).orElseThrow() : Affiliation.NONE;
            }
        }
    }

    @Override
    public Changed setAffiliation(String room, UserId user, Affiliation affiliation) {
        return tx.inTransaction("set affiliation", c -> {
            try (PreparedStatement lock = c.prepareStatement("SELECT name FROM muc_rooms WHERE name = ? FOR UPDATE")) {
                lock.setString(1, room);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        return Changed.NO_ROOM;
                    }
                }
            }
            if (affiliation != Affiliation.OWNER && affiliation(c, room, user) == Affiliation.OWNER) {
                try (PreparedStatement owners = c.prepareStatement(
                        "SELECT COUNT(*) FROM muc_affiliations WHERE room = ? AND affiliation = ?")) {
                    owners.setString(1, room);
                    owners.setString(2, Affiliation.OWNER.wireName());
                    try (ResultSet rs = owners.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) <= 1) {
                            return Changed.LAST_OWNER;
                        }
                    }
                }
            }
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM muc_affiliations WHERE room = ? AND user_id = ?")) {
                delete.setString(1, room);
                delete.setString(2, user.value());
                delete.executeUpdate();
            }
            if (affiliation != Affiliation.NONE) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO muc_affiliations (room, user_id, affiliation) VALUES (?, ?, ?)")) {
                    insert.setString(1, room);
                    insert.setString(2, user.value());
                    insert.setString(3, affiliation.wireName());
                    insert.executeUpdate();
                }
            }
            return Changed.DONE;
        });
    }

    @Override
    public void appendHistory(RoomMessage message, int keep) {
        String sealed = cipher.seal(message.stanza(), DataKeys.context("muc_history", "stanza", message.room(), message.id()));
        tx.inTransaction("append room history", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO muc_history (room, id, stanza, sent_at)"
                    + " SELECT name, ?, ?, ? FROM muc_rooms WHERE name = ?")) {
                insert.setString(1, message.id());
                insert.setString(2, sealed);
                insert.setObject(3, JdbcDirectory.utc(message.sentAt()));
                insert.setString(4, message.room());
                if (insert.executeUpdate() == 0) {
                    return null; // the room is gone
                }
            }
            // keep the newest: everything below the keep-th newest sequence number goes
            try (PreparedStatement trim = c.prepareStatement("DELETE FROM muc_history WHERE room = ? AND seq <"
                    + " (SELECT MIN(seq) FROM (SELECT seq FROM muc_history WHERE room = ? ORDER BY seq DESC"
                    + " FETCH FIRST " + Math.max(1, keep) + " ROWS ONLY) newest)")) {
                trim.setString(1, message.room());
                trim.setString(2, message.room());
                trim.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<RoomMessage> history(String room, int max, Instant since) {
        return tx.read("read room history", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT id, stanza, sent_at FROM muc_history"
                    + " WHERE room = ? AND sent_at >= ? ORDER BY seq DESC FETCH FIRST " + Math.max(0, max) + " ROWS ONLY")) {
                query.setString(1, room);
                query.setObject(2, JdbcDirectory.utc(since));
                try (ResultSet rs = query.executeQuery()) {
                    List<RoomMessage> messages = new ArrayList<>();
                    while (rs.next()) {
                        String id = rs.getString(1);
                        messages.add(new RoomMessage(room, id, cipher.open(rs.getString(2),
                                DataKeys.context("muc_history", "stanza", room, id)),
                                rs.getObject(3, OffsetDateTime.class).toInstant()));
                    }
                    Collections.reverse(messages);
                    return messages;
                }
            }
        });
    }

    private void bind(PreparedStatement insert, GroupRoom room) throws SQLException {
        insert.setString(1, room.name());
        bindConfiguration(insert, 2, room);
        insert.setObject(14, JdbcDirectory.utc(room.createdAt()));
    }

    /** The twelve columns from title to locked, from parameter {@code first} on. */
    private void bindConfiguration(PreparedStatement statement, int first, GroupRoom room) throws SQLException {
        int i = first;
        statement.setString(i++, seal("title", room.name(), room.title()));
        statement.setString(i++, seal("description", room.name(), room.description()));
        statement.setString(i++, seal("subject", room.name(), room.subject()));
        statement.setString(i++, seal("subject_by", room.name(), room.subjectBy()));
        statement.setBoolean(i++, room.persistent());
        statement.setBoolean(i++, room.membersOnly());
        statement.setBoolean(i++, room.moderated());
        statement.setBoolean(i++, room.listed());
        statement.setBoolean(i++, room.nonAnonymous());
        statement.setBoolean(i++, room.changeSubject());
        statement.setInt(i++, room.maxOccupants());
        statement.setBoolean(i, room.locked());
    }

    private GroupRoom room(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        return new GroupRoom(name, open("title", name, rs.getString(2)), open("description", name, rs.getString(3)),
                open("subject", name, rs.getString(4)), open("subject_by", name, rs.getString(5)), rs.getBoolean(6),
                rs.getBoolean(7), rs.getBoolean(8), rs.getBoolean(9), rs.getBoolean(10), rs.getBoolean(11), rs.getInt(12),
                rs.getBoolean(13), rs.getObject(14, OffsetDateTime.class).toInstant());
    }
}
