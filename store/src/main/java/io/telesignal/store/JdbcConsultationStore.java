package io.telesignal.store;

import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationState;
import io.telesignal.core.consultation.ConsultationStore;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.work.WorkerPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consultations in tables {@code consultations} and {@code consultation_participants}, so that they survive a
 * restart. Who is waiting or admitted is live state that belongs with the connections: it is kept in this node's
 * memory beside the rows (and empty after a restart, when no connection is left). Compare-and-set is the row's
 * {@code version} ({@code UPDATE ... WHERE version = ?}); the live attendance is swapped only after the row
 * update succeeded, under a lock per consultation. Blocking JDBC runs on the worker pool.
 *
 * <p>Single node: in cluster mode the live attendance moves to the shared-state SPI (Redis).
 */
public final class JdbcConsultationStore implements ConsultationStore {
    private final Transactions tx;
    private final WorkerPool workers;
    /**
     * The latest value of every consultation someone attends on this node: its live attendance exists only here,
     * and signaling reads it on every relayed message, so those reads never touch the database. Entries go when
     * the last attendee leaves, so the map is bounded by the consultations in progress.
     */
    private final Map<ConsultationId, Consultation> hot = new ConcurrentHashMap<>();

    JdbcConsultationStore(Transactions tx, WorkerPool workers) {
        this.tx = tx;
        this.workers = workers;
    }

    @Override
    public CompletionStage<Void> create(Consultation c) {
        return workers.submit(() -> tx.inTransaction("create consultation", conn -> {
            try (PreparedStatement insert = conn.prepareStatement("INSERT INTO consultations (id, state, max_participants,"
                    + " created_by, created_at, scheduled_for, ended_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, c.id().value());
                insert.setString(2, c.state().wireName());
                insert.setInt(3, c.maxParticipants());
                insert.setString(4, c.createdBy().value());
                insert.setObject(5, JdbcDirectory.utc(c.createdAt()));
                insert.setObject(6, c.scheduledFor().map(JdbcDirectory::utc).orElse(null));
                insert.setObject(7, c.endedAt().map(JdbcDirectory::utc).orElse(null));
                insert.setLong(8, c.version());
                insert.executeUpdate();
            }
            writeParticipants(conn, c);
            remember(c);
            return null;
        }));
    }

    @Override
    public CompletionStage<Optional<Consultation>> find(ConsultationId id) {
        Consultation cached = hot.get(id);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return workers.submit(() -> tx.read("find consultation", conn -> load(conn, id)));
    }

    @Override
    public CompletionStage<Boolean> replace(long expectedVersion, Consultation updated) {
        return workers.submit(() -> {
            synchronized (lockFor(updated.id())) {
                boolean replaced = tx.inTransaction("update consultation", conn -> {
                    try (PreparedStatement update = conn.prepareStatement("UPDATE consultations SET state = ?,"
                            + " ended_at = ?, version = ? WHERE id = ? AND version = ?")) {
                        update.setString(1, updated.state().wireName());
                        update.setObject(2, updated.endedAt().map(JdbcDirectory::utc).orElse(null));
                        update.setLong(3, updated.version());
                        update.setString(4, updated.id().value());
                        update.setLong(5, expectedVersion);
                        if (update.executeUpdate() != 1) {
                            return false;
                        }
                    }
                    try (PreparedStatement delete = conn.prepareStatement(
                            "DELETE FROM consultation_participants WHERE consultation_id = ?")) {
                        delete.setString(1, updated.id().value());
                        delete.executeUpdate();
                    }
                    writeParticipants(conn, updated);
                    return true;
                });
                if (replaced) {
                    remember(updated);
                }
                return replaced;
            }
        });
    }

    @Override
    public CompletionStage<List<Consultation>> involving(UserId user) {
        return workers.submit(() -> tx.read("consultations of a user", conn -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement query = conn.prepareStatement("SELECT c.id FROM consultations c JOIN"
                    + " consultation_participants p ON p.consultation_id = c.id WHERE p.user_id = ? AND c.state <> ?")) {
                query.setString(1, user.value());
                query.setString(2, ConsultationState.ENDED.wireName());
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            hot.forEach((id, c) -> {
                if (c.attendees().containsKey(user) && !ids.contains(id.value())) {
                    ids.add(id.value());
                }
            });
            List<Consultation> found = new ArrayList<>();
            for (String id : ids) {
                load(conn, new ConsultationId(id)).filter(c -> !c.ended()).ifPresent(found::add);
            }
            return found;
        }));
    }

    @Override
    public CompletionStage<List<Consultation>> list(int offset, int limit) {
        return workers.submit(() -> tx.read("list consultations", conn -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement query = conn.prepareStatement("SELECT id FROM consultations"
                    + " ORDER BY created_at DESC, id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                query.setInt(1, offset);
                query.setInt(2, limit);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            List<Consultation> found = new ArrayList<>();
            for (String id : ids) {
                load(conn, new ConsultationId(id)).ifPresent(found::add);
            }
            return found;
        }));
    }

    private Optional<Consultation> load(Connection conn, ConsultationId id) throws SQLException {
        Consultation cached = hot.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (PreparedStatement query = conn.prepareStatement("SELECT state, max_participants, created_by, created_at,"
                + " scheduled_for, ended_at, version FROM consultations WHERE id = ?")) {
            query.setString(1, id.value());
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<UserId, Role> listed = new HashMap<>();
                try (PreparedStatement participants = conn.prepareStatement(
                        "SELECT user_id, role_name FROM consultation_participants WHERE consultation_id = ?")) {
                    participants.setString(1, id.value());
                    try (ResultSet p = participants.executeQuery()) {
                        while (p.next()) {
                            listed.put(new UserId(p.getString(1)), Role.fromWireName(p.getString(2)));
                        }
                    }
                }
                return Optional.of(new Consultation(id, ConsultationState.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)),
                        listed, Map.of(), rs.getInt(2), new UserId(rs.getString(3)),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject(5, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        Optional.ofNullable(rs.getObject(6, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        rs.getLong(7)));
            }
        }
    }

    /** Called under the consultation's lock after its row is written. */
    private void remember(Consultation c) {
        if (c.attendees().isEmpty()) {
            hot.remove(c.id());
        } else {
            hot.put(c.id(), c);
        }
    }

    private static void writeParticipants(Connection conn, Consultation c) throws SQLException {
        try (PreparedStatement insert = conn.prepareStatement(
                "INSERT INTO consultation_participants (consultation_id, user_id, role_name) VALUES (?, ?, ?)")) {
            for (Map.Entry<UserId, Role> entry : c.listed().entrySet()) {
                insert.setString(1, c.id().value());
                insert.setString(2, entry.getKey().value());
                insert.setString(3, entry.getValue().wireName());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Striped locks: bounded memory however many consultations pass through. */
    private final Object[] locks = java.util.stream.IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();

    private Object lockFor(ConsultationId id) {
        return locks[Math.floorMod(id.hashCode(), locks.length)];
    }
}
