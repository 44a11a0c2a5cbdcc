package io.telesignal.store;

import io.telesignal.core.consultation.Attendee;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationState;
import io.telesignal.core.consultation.ConsultationStore;
import io.telesignal.core.identity.EndpointId;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consultations in tables {@code consultations} and {@code consultation_participants}, their attendance (who waits,
 * who is admitted, since when, from which endpoints, who is away) in {@code consultation_attendees} and
 * {@code consultation_endpoints}, so that a restarted server knows who was admitted. Compare-and-set is the row's
 * {@code version} ({@code UPDATE ... WHERE version = ?}); attendance rows are rewritten in the same transaction.
 * Blocking JDBC runs on the worker pool.
 *
 * <p>Every consultation someone attends is also kept in this node's memory, written under a lock per consultation
 * after its transaction committed: signaling reads it on every relayed message, and those reads never touch the
 * database. Single node only: another node's update would not reach this cache, so in cluster mode the store runs
 * without it, and the cluster module's version check decides when a node's copy is stale.
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

    private final boolean cache;

    private final FieldCipher cipher;

    JdbcConsultationStore(Transactions tx, WorkerPool workers, boolean cache, FieldCipher cipher) {
        this.cipher = cipher;
        this.tx = tx;
        this.workers = workers;
        this.cache = cache;
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
            writeAttendance(conn, c);
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
                    try (PreparedStatement delete = conn.prepareStatement(
                            "DELETE FROM consultation_attendees WHERE consultation_id = ?")) {
                        delete.setString(1, updated.id().value());
                        delete.executeUpdate();
                    }
                    writeAttendance(conn, updated);
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
        return workers.submit(() -> tx.read("consultations of a user", conn -> loadAll(conn,
                "SELECT c.id FROM consultations c JOIN consultation_participants p ON p.consultation_id = c.id"
                + " WHERE p.user_id = ? AND c.state <> ? UNION SELECT c.id FROM consultations c JOIN"
                + " consultation_attendees a ON a.consultation_id = c.id WHERE a.user_id = ? AND c.state <> ?",
                user.value(), ConsultationState.ENDED.wireName(), user.value(), ConsultationState.ENDED.wireName())));
    }

    @Override
    public CompletionStage<List<Consultation>> attended() {
        return workers.submit(() -> tx.read("attended consultations", conn -> loadAll(conn,
                "SELECT DISTINCT c.id FROM consultations c JOIN consultation_attendees a ON a.consultation_id = c.id"
                + " WHERE c.state <> ?", ConsultationState.ENDED.wireName())));
    }

    /** The consultations whose ids the query selects, those not ended only. */
    private List<Consultation> loadAll(Connection conn, String idQuery, String... parameters) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement query = conn.prepareStatement(idQuery)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        List<Consultation> found = new ArrayList<>();
        for (String id : ids) {
            load(conn, new ConsultationId(id)).filter(c -> !c.ended()).ifPresent(found::add);
        }
        return found;
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
                Set<UserId> invited = new HashSet<>();
                try (PreparedStatement participants = conn.prepareStatement(
                        "SELECT user_id, role_name, via FROM consultation_participants WHERE consultation_id = ?")) {
                    participants.setString(1, id.value());
                    try (ResultSet p = participants.executeQuery()) {
                        while (p.next()) {
                            listed.put(new UserId(p.getString(1)), Role.fromWireName(p.getString(2)));
                            if (VIA_INVITE.equals(p.getString(3))) {
                                invited.add(new UserId(p.getString(1)));
                            }
                        }
                    }
                }
                return Optional.of(new Consultation(id, ConsultationState.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)),
                        listed, invited, readAttendance(conn, id, invited), rs.getInt(2), new UserId(rs.getString(3)),
                        rs.getObject(4, OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject(5, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        Optional.ofNullable(rs.getObject(6, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        rs.getLong(7)));
            }
        }
    }

    /** Called under the consultation's lock after its row is written. */
    private void remember(Consultation c) {
        if (!cache) {
            return;
        }
        if (c.attendees().isEmpty()) {
            hot.remove(c.id());
        } else {
            hot.put(c.id(), c);
        }
    }

    /** Attendees in the order they came, each with their endpoints. */
    private Map<UserId, Attendee> readAttendance(Connection conn, ConsultationId id, Set<UserId> invited)
            throws SQLException {
        Map<UserId, Set<EndpointId>> endpoints = new HashMap<>();
        try (PreparedStatement query = conn.prepareStatement(
                "SELECT user_id, endpoint_id FROM consultation_endpoints WHERE consultation_id = ?")) {
            query.setString(1, id.value());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    endpoints.computeIfAbsent(new UserId(rs.getString(1)), u -> new HashSet<>())
                            .add(new EndpointId(rs.getString(2)));
                }
            }
        }
        Map<UserId, Attendee> attendees = new LinkedHashMap<>();
        try (PreparedStatement query = conn.prepareStatement("SELECT user_id, display_name, role_name, status, since,"
                + " away_since FROM consultation_attendees WHERE consultation_id = ? ORDER BY position")) {
            query.setString(1, id.value());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    UserId user = new UserId(rs.getString(1));
                    attendees.put(user, new Attendee(user, cipher.open(rs.getString(2), nameContext(id, user)),
                            Role.fromWireName(rs.getString(3)),
                            Attendee.Status.valueOf(rs.getString(4)), rs.getObject(5, OffsetDateTime.class).toInstant(),
                            endpoints.getOrDefault(user, Set.of()),
                            Optional.ofNullable(rs.getObject(6, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                            invited.contains(user)));
                }
            }
        }
        return attendees;
    }

    private void writeAttendance(Connection conn, Consultation c) throws SQLException {
        if (c.attendees().isEmpty()) {
            return;
        }
        try (PreparedStatement attendee = conn.prepareStatement("INSERT INTO consultation_attendees (consultation_id,"
                + " user_id, display_name, role_name, status, since, away_since, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement endpoint = conn.prepareStatement("INSERT INTO consultation_endpoints (consultation_id,"
                        + " user_id, endpoint_id) VALUES (?, ?, ?)")) {
            int position = 0;
            for (Attendee a : c.attendees().values()) {
                attendee.setString(1, c.id().value());
                attendee.setString(2, a.user().value());
                attendee.setString(3, cipher.seal(a.displayName(), nameContext(c.id(), a.user())));
                attendee.setString(4, a.role().wireName());
                attendee.setString(5, a.status().name());
                attendee.setObject(6, JdbcDirectory.utc(a.since()));
                attendee.setObject(7, a.awaySince().map(JdbcDirectory::utc).orElse(null));
                attendee.setInt(8, position++);
                attendee.addBatch();
                for (EndpointId e : a.endpoints()) {
                    endpoint.setString(1, c.id().value());
                    endpoint.setString(2, a.user().value());
                    endpoint.setString(3, e.value());
                    endpoint.addBatch();
                }
            }
            attendee.executeBatch();
            endpoint.executeBatch();
        }
    }

    /** {@code consultation_participants.via} of someone listed because they used an invite link. */
    private static final String VIA_INVITE = "invite";

    /** Attendees' display names are sealed ({@link FieldCipher}) for their row. */
    private static String nameContext(ConsultationId consultation, UserId user) {
        return DataKeys.context("consultation_attendees", "display_name", consultation.value(), user.value());
    }

    private static void writeParticipants(Connection conn, Consultation c) throws SQLException {
        try (PreparedStatement insert = conn.prepareStatement(
                "INSERT INTO consultation_participants (consultation_id, user_id, role_name, via) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<UserId, Role> entry : c.listed().entrySet()) {
                insert.setString(1, c.id().value());
                insert.setString(2, entry.getKey().value());
                insert.setString(3, entry.getValue().wireName());
                insert.setString(4, c.invited().contains(entry.getKey()) ? VIA_INVITE : "list");
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
