package io.telesignal.store;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.roster.RosterItem;
import io.telesignal.core.roster.RosterStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Rosters in {@code roster_items} and {@code roster_versions}; each item's name and groups sealed ({@link FieldCipher}).
 * A change locks the owner's user row, so the version and the items move together.
 */
public final class JdbcRosterStore implements RosterStore {
    /** Between group names: U+001F cannot appear in XML 1.0 text, so in no group name. */
    private static final String SEPARATOR = "\u001f";
    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcRosterStore(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    @Override
    public List<RosterItem> items(UserId owner) {
        return tx.read("read roster", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT contact, name, subscription, ask_out, pending_in,"
                    + " group_names FROM roster_items WHERE owner_id = ? ORDER BY contact")) {
                query.setString(1, owner.value());
                try (ResultSet rs = query.executeQuery()) {
                    List<RosterItem> items = new ArrayList<>();
                    while (rs.next()) {
                        items.add(item(owner, rs));
                    }
                    return items;
                }
            }
        });
    }

    @Override
    public long version(UserId owner) {
        return tx.read("read roster version", c -> version(c, owner));
    }

    @Override
    public Optional<RosterItem> find(UserId owner, String contact) {
        return tx.read("read roster item", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT contact, name, subscription, ask_out, pending_in,"
                    + " group_names FROM roster_items WHERE owner_id = ? AND contact = ?")) {
                query.setString(1, owner.value());
                query.setString(2, contact);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(item(owner, rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public OptionalLong put(RosterItem item, int limit) {
        return tx.inTransaction("put roster item", c -> {
            if (!Transactions.lockUser(c, item.owner())) {
                return OptionalLong.empty();
            }
            String name = cipher.seal(item.name(), DataKeys.context("roster_items", "name", item.owner().value(), item.contact()));
            String groups = cipher.seal(groups(item.groups()),
                    DataKeys.context("roster_items", "group_names", item.owner().value(), item.contact()));
            int updated;
            try (PreparedStatement update = c.prepareStatement("UPDATE roster_items SET name = ?, subscription = ?,"
                    + " ask_out = ?, pending_in = ?, group_names = ? WHERE owner_id = ? AND contact = ?")) {
                update.setString(1, name);
                update.setString(2, item.subscription().name().toLowerCase(Locale.ROOT));
                update.setBoolean(3, item.askOut());
                update.setBoolean(4, item.pendingIn());
                update.setString(5, groups);
                update.setString(6, item.owner().value());
                update.setString(7, item.contact());
                updated = update.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM roster_items WHERE owner_id = ?")) {
                    count.setString(1, item.owner().value());
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) >= limit) {
                            return OptionalLong.empty();
                        }
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO roster_items (owner_id, contact, name,"
                        + " subscription, ask_out, pending_in, group_names) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, item.owner().value());
                    insert.setString(2, item.contact());
                    insert.setString(3, name);
                    insert.setString(4, item.subscription().name().toLowerCase(Locale.ROOT));
                    insert.setBoolean(5, item.askOut());
                    insert.setBoolean(6, item.pendingIn());
                    insert.setString(7, groups);
                    insert.executeUpdate();
                }
            }
            return OptionalLong.of(bump(c, item.owner()));
        });
    }

    @Override
    public OptionalLong remove(UserId owner, String contact) {
        return tx.inTransaction("remove roster item", c -> {
            if (!Transactions.lockUser(c, owner)) {
                return OptionalLong.empty();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM roster_items WHERE owner_id = ? AND contact = ?")) {
                delete.setString(1, owner.value());
                delete.setString(2, contact);
                if (delete.executeUpdate() == 0) {
                    return OptionalLong.empty();
                }
            }
            return OptionalLong.of(bump(c, owner));
        });
    }

    private RosterItem item(UserId owner, ResultSet rs) throws SQLException {
        String contact = rs.getString(1);
        String name = cipher.open(rs.getString(2), DataKeys.context("roster_items", "name", owner.value(), contact));
        String groups = cipher.open(rs.getString(6), DataKeys.context("roster_items", "group_names", owner.value(), contact));
        return new RosterItem(owner, contact, name,
                RosterItem.Subscription.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)), rs.getBoolean(4),
                rs.getBoolean(5), groups(groups));
    }

    private static String groups(List<String> groups) {
        return String.join(SEPARATOR, groups);
    }

    private static List<String> groups(String joined) {
        return joined.isEmpty() ? List.of() : List.of(joined.split(SEPARATOR, -1));
    }

    private static long version(Connection c, UserId owner) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT version FROM roster_versions WHERE owner_id = ?")) {
            query.setString(1, owner.value());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The owner's row is locked: raise the version by one. */
    private static long bump(Connection c, UserId owner) throws SQLException {
        long next = version(c, owner) + 1;
        try (PreparedStatement update = c.prepareStatement("UPDATE roster_versions SET version = ? WHERE owner_id = ?")) {
            update.setLong(1, next);
            update.setString(2, owner.value());
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO roster_versions (owner_id, version) VALUES (?, ?)")) {
                    insert.setString(1, owner.value());
                    insert.setLong(2, next);
                    insert.executeUpdate();
                }
            }
        }
        return next;
    }

}
