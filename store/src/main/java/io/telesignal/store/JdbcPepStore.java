package io.telesignal.store;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.pep.PepItem;
import io.telesignal.core.pep.PepNode;
import io.telesignal.core.pep.PepStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Personal eventing nodes in {@code pep_nodes} and their items in {@code pep_items}, each payload sealed
 * ({@link FieldCipher}) under its owner, node and item id. Every change locks the owner's row first, so that one user's
 * nodes change one transaction at a time (the node limit holds under concurrent publications from several nodes).
 */
public final class JdbcPepStore implements PepStore {
    private static final String NODE_COLUMNS = "owner_id, name, access_model, max_items, send_last, created_at";
    /** Owners per statement when reading last items (an IN list of bounded length). */
    private static final int CHUNK = 100;
    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcPepStore(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    private static String context(UserId owner, String node, String id) {
        return DataKeys.context("pep_items", "payload", owner.value(), node, id);
    }

    @Override
    public Optional<PepNode> node(UserId owner, String name) {
        return tx.read("read pep node", c -> find(c, owner, name, false));
    }

    private static Optional<PepNode> find(Connection c, UserId owner, String name, boolean lock) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT " + NODE_COLUMNS
                + " FROM pep_nodes WHERE owner_id = ? AND name = ?" + (lock ? " FOR UPDATE" : ""))) {
            query.setString(1, owner.value());
            query.setString(2, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(node(rs, 1)) : Optional.empty();
            }
        }
    }

    private static PepNode node(ResultSet rs, int at) throws SQLException {
        return new PepNode(new UserId(rs.getString(at)), rs.getString(at + 1),
                PepNode.Access.fromWireName(rs.getString(at + 2)).orElse(PepNode.Access.WHITELIST), rs.getInt(at + 3),
                rs.getBoolean(at + 4), rs.getObject(at + 5, OffsetDateTime.class).toInstant());
    }

    @Override
    public List<PepNode> nodes(UserId owner) {
        return tx.read("list pep nodes", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT " + NODE_COLUMNS
                    + " FROM pep_nodes WHERE owner_id = ? ORDER BY name")) {
                query.setString(1, owner.value());
                try (ResultSet rs = query.executeQuery()) {
                    List<PepNode> nodes = new ArrayList<>();
                    while (rs.next()) {
                        nodes.add(node(rs, 1));
                    }
                    return nodes;
                }
            }
        });
    }

    private static int count(Connection c, UserId owner) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM pep_nodes WHERE owner_id = ?")) {
            query.setString(1, owner.value());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void insert(Connection c, PepNode node) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO pep_nodes (" + NODE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, node.owner().value());
            insert.setString(2, node.name());
            insert.setString(3, node.access().wireName());
            insert.setInt(4, node.maxItems());
            insert.setBoolean(5, node.sendLast());
            insert.setObject(6, JdbcDirectory.utc(node.createdAt()));
            insert.executeUpdate();
        }
    }

    @Override
    public Created create(PepNode node, int maxNodes) {
        return tx.inTransaction("create pep node", c -> {
            Transactions.lockUser(c, node.owner());
            if (find(c, node.owner(), node.name(), false).isPresent()) {
                return Created.EXISTS;
            }
            if (count(c, node.owner()) >= maxNodes) {
                return Created.TOO_MANY_NODES;
            }
            insert(c, node);
            return Created.CREATED;
        });
    }

    @Override
    public boolean configure(PepNode node) {
        return tx.inTransaction("configure pep node", c -> {
            Transactions.lockUser(c, node.owner());
            try (PreparedStatement update = c.prepareStatement("UPDATE pep_nodes SET access_model = ?, max_items = ?,"
                    + " send_last = ? WHERE owner_id = ? AND name = ?")) {
                update.setString(1, node.access().wireName());
                update.setInt(2, node.maxItems());
                update.setBoolean(3, node.sendLast());
                update.setString(4, node.owner().value());
                update.setString(5, node.name());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            trim(c, node.owner(), node.name(), node.maxItems());
            return true;
        });
    }

    @Override
    public boolean delete(UserId owner, String name) {
        return tx.inTransaction("delete pep node", c -> {
            Transactions.lockUser(c, owner);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM pep_nodes WHERE owner_id = ? AND name = ?")) {
                delete.setString(1, owner.value());
                delete.setString(2, name);
                return delete.executeUpdate() == 1; // its items go by cascade
            }
        });
    }

    @Override
    public boolean purge(UserId owner, String name) {
        return tx.inTransaction("purge pep node", c -> {
            Transactions.lockUser(c, owner);
            if (find(c, owner, name, false).isEmpty()) {
                return false;
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM pep_items WHERE owner_id = ? AND node = ?")) {
                delete.setString(1, owner.value());
                delete.setString(2, name);
                delete.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public Published publish(PepItem item, PepNode createAs, Predicate<PepNode> precondition, int maxNodes) {
        String sealed = cipher.seal(item.payload(), context(item.owner(), item.node(), item.id()));
        return tx.inTransaction("publish pep item", c -> {
            Transactions.lockUser(c, item.owner());
            Optional<PepNode> existing = find(c, item.owner(), item.node(), false);
            PepNode node;
            if (existing.isEmpty()) {
                if (count(c, item.owner()) >= maxNodes) {
                    return new Published(Status.TOO_MANY_NODES, Optional.empty());
                }
                insert(c, createAs);
                node = createAs;
            } else if (!precondition.test(existing.get())) {
                return new Published(Status.PRECONDITION_NOT_MET, existing);
            } else {
                node = existing.get();
            }
            // the same id again replaces the item and makes it the newest
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM pep_items WHERE owner_id = ? AND node = ? AND item_id = ?")) {
                delete.setString(1, item.owner().value());
                delete.setString(2, item.node());
                delete.setString(3, item.id());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO pep_items (owner_id, node, item_id, payload,"
                    + " published_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, item.owner().value());
                insert.setString(2, item.node());
                insert.setString(3, item.id());
                insert.setString(4, sealed);
                insert.setObject(5, JdbcDirectory.utc(item.publishedAt()));
                insert.executeUpdate();
            }
            trim(c, item.owner(), item.node(), node.maxItems());
            return new Published(Status.PUBLISHED, Optional.of(node));
        });
    }

    /** Keeps the node's {@code keep} newest items: everything below the keep-th newest sequence number goes. */
    private static void trim(Connection c, UserId owner, String node, int keep) throws SQLException {
        try (PreparedStatement trim = c.prepareStatement("DELETE FROM pep_items WHERE owner_id = ? AND node = ? AND seq <"
                + " (SELECT MIN(seq) FROM (SELECT seq FROM pep_items WHERE owner_id = ? AND node = ? ORDER BY seq DESC"
                + " FETCH FIRST " + Math.max(1, keep) + " ROWS ONLY) newest)")) {
            trim.setString(1, owner.value());
            trim.setString(2, node);
            trim.setString(3, owner.value());
            trim.setString(4, node);
            trim.executeUpdate();
        }
    }

    @Override
    public boolean retract(UserId owner, String name, String itemId) {
        return tx.inTransaction("retract pep item", c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM pep_items WHERE owner_id = ? AND node = ? AND item_id = ?")) {
                delete.setString(1, owner.value());
                delete.setString(2, name);
                delete.setString(3, itemId);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<PepItem> items(UserId owner, String name, int max) {
        if (max <= 0) {
            return List.of();
        }
        return tx.read("read pep items", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT item_id, payload, published_at FROM pep_items"
                    + " WHERE owner_id = ? AND node = ? ORDER BY seq DESC FETCH FIRST " + max + " ROWS ONLY")) {
                query.setString(1, owner.value());
                query.setString(2, name);
                return items(query, owner, name);
            }
        });
    }

    @Override
    public List<PepItem> items(UserId owner, String name, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> wanted = List.copyOf(new java.util.LinkedHashSet<>(ids));
        return tx.read("read pep items", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT item_id, payload, published_at FROM pep_items"
                    + " WHERE owner_id = ? AND node = ? AND item_id IN (" + marks(wanted.size()) + ") ORDER BY seq DESC")) {
                query.setString(1, owner.value());
                query.setString(2, name);
                for (int i = 0; i < wanted.size(); i++) {
                    query.setString(3 + i, wanted.get(i));
                }
                return items(query, owner, name);
            }
        });
    }

    private List<PepItem> items(PreparedStatement query, UserId owner, String name) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            List<PepItem> items = new ArrayList<>();
            while (rs.next()) {
                String id = rs.getString(1);
                items.add(new PepItem(owner, name, id, cipher.open(rs.getString(2), context(owner, name, id)),
                        rs.getObject(3, OffsetDateTime.class).toInstant()));
            }
            return items;
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    @Override
    public List<Last> lastItems(Collection<UserId> owners, Collection<String> names) {
        if (owners.isEmpty() || names.isEmpty()) {
            return List.of();
        }
        List<UserId> all = List.copyOf(new java.util.LinkedHashSet<>(owners));
        List<String> nodes = List.copyOf(new java.util.LinkedHashSet<>(names));
        return tx.read("read last pep items", c -> {
            List<Last> last = new ArrayList<>();
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<UserId> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                try (PreparedStatement query = c.prepareStatement("SELECT n.owner_id, n.name, n.access_model, n.max_items,"
                        + " n.send_last, n.created_at, i.item_id, i.payload, i.published_at FROM pep_nodes n"
                        + " JOIN pep_items i ON i.owner_id = n.owner_id AND i.node = n.name"
                        + " WHERE n.send_last AND n.owner_id IN (" + marks(chunk.size()) + ") AND n.name IN ("
                        + marks(nodes.size()) + ") AND i.seq = (SELECT MAX(m.seq) FROM pep_items m"
                        + " WHERE m.owner_id = n.owner_id AND m.node = n.name) ORDER BY n.owner_id, n.name")) {
                    int at = 1;
                    for (UserId owner : chunk) {
                        query.setString(at++, owner.value());
                    }
                    for (String node : nodes) {
                        query.setString(at++, node);
                    }
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            PepNode node = node(rs, 1);
                            String id = rs.getString(7);
                            last.add(new Last(node, new PepItem(node.owner(), node.name(), id,
                                    cipher.open(rs.getString(8), context(node.owner(), node.name(), id)),
                                    rs.getObject(9, OffsetDateTime.class).toInstant())));
                        }
                    }
                }
            }
            return last;
        });
    }
}
