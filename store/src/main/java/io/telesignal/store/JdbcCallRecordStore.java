package io.telesignal.store;

import io.telesignal.core.call.CallRecord;
import io.telesignal.core.call.CallRecordStore;
import io.telesignal.core.call.CallState;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Call records in table {@code call_records}. */
public final class JdbcCallRecordStore implements CallRecordStore {
    private final Transactions tx;

    JdbcCallRecordStore(Transactions tx) {
        this.tx = tx;
    }

    /**
     * One atomic upsert, so that two saves of a new record at once (both sides' signals starting the call) never race
     * an UPDATE that found nothing into two INSERTs: {@code ON CONFLICT} on PostgreSQL, {@code MERGE ... KEY} on H2.
     */
    @Override
    public void save(CallRecord r) {
        tx.inTransaction("save call record", c -> {
            boolean postgres = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            try (PreparedStatement upsert = c.prepareStatement(postgres ? UPSERT_POSTGRES : UPSERT_H2)) {
                upsert.setString(1, r.id());
                upsert.setString(2, r.consultation().value());
                upsert.setString(3, r.callerUser().value());
                upsert.setString(4, r.caller().value());
                upsert.setString(5, r.calleeUser().value());
                upsert.setString(6, r.callee().value());
                upsert.setString(7, r.state().wireName());
                upsert.setObject(8, JdbcDirectory.utc(r.startedAt()));
                upsert.setObject(9, r.connectedAt().map(JdbcDirectory::utc).orElse(null));
                upsert.setObject(10, r.endedAt().map(JdbcDirectory::utc).orElse(null));
                upsert.setString(11, r.endReason().orElse(null));
                upsert.executeUpdate();
            }
            return null;
        });
    }

    private static final String COLUMNS = "id, consultation, caller_user, caller_endpoint, callee_user, callee_endpoint,"
            + " state, started_at, connected_at, ended_at, end_reason";
    private static final String UPSERT_POSTGRES = "INSERT INTO call_records (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state,"
            + " connected_at = EXCLUDED.connected_at, ended_at = EXCLUDED.ended_at, end_reason = EXCLUDED.end_reason";
    private static final String UPSERT_H2 = "MERGE INTO call_records (" + COLUMNS + ") KEY (id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public boolean replace(CallRecord expected, CallRecord r) {
        return tx.inTransaction("replace call record", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE call_records SET state = ?, connected_at = ?,"
                    + " ended_at = ?, end_reason = ? WHERE id = ? AND state = ?")) {
                update.setString(1, r.state().wireName());
                update.setObject(2, r.connectedAt().map(JdbcDirectory::utc).orElse(null));
                update.setObject(3, r.endedAt().map(JdbcDirectory::utc).orElse(null));
                update.setString(4, r.endReason().orElse(null));
                update.setString(5, r.id());
                update.setString(6, expected.state().wireName());
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int endOpen(java.time.Instant at, String reason) {
        return tx.inTransaction("end open call records", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE call_records SET state = ?, ended_at = ?,"
                    + " end_reason = ? WHERE state <> ?")) {
                update.setString(1, CallState.ENDED.wireName());
                update.setObject(2, JdbcDirectory.utc(at));
                update.setString(3, reason);
                update.setString(4, CallState.ENDED.wireName());
                return update.executeUpdate();
            }
        });
    }

    @Override
    public Optional<CallRecord> findOpen(ConsultationId consultation, EndpointId a, EndpointId b) {
        return tx.read("find open call", c -> {
            try (PreparedStatement query = c.prepareStatement(SELECT + " WHERE consultation = ? AND state <> ? AND"
                    + " ((caller_endpoint = ? AND callee_endpoint = ?) OR (caller_endpoint = ? AND callee_endpoint = ?))"
                    + " ORDER BY started_at DESC")) {
                query.setString(1, consultation.value());
                query.setString(2, CallState.ENDED.wireName());
                query.setString(3, a.value());
                query.setString(4, b.value());
                query.setString(5, b.value());
                query.setString(6, a.value());
                List<CallRecord> found = readAll(query);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    @Override
    public List<CallRecord> openWith(EndpointId endpoint) {
        return tx.read("open calls of an endpoint", c -> {
            try (PreparedStatement query = c.prepareStatement(SELECT + " WHERE state <> ? AND (caller_endpoint = ?"
                    + " OR callee_endpoint = ?)")) {
                query.setString(1, CallState.ENDED.wireName());
                query.setString(2, endpoint.value());
                query.setString(3, endpoint.value());
                return readAll(query);
            }
        });
    }

    private static final String SELECT = "SELECT id, caller_user, caller_endpoint, callee_user, callee_endpoint, state,"
            + " started_at, connected_at, ended_at, end_reason, consultation FROM call_records";

    private static List<CallRecord> readAll(PreparedStatement query) throws java.sql.SQLException {
        List<CallRecord> records = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                records.add(new CallRecord(rs.getString(1), new ConsultationId(rs.getString(11)),
                        new UserId(rs.getString(2)), new EndpointId(rs.getString(3)), new UserId(rs.getString(4)),
                        new EndpointId(rs.getString(5)), CallState.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                        rs.getObject(7, OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject(8, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        Optional.ofNullable(rs.getObject(9, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                        Optional.ofNullable(rs.getString(10))));
            }
        }
        return records;
    }

    @Override
    public List<CallRecord> forConsultation(ConsultationId consultation) {
        return tx.read("read call records", c -> {
            try (PreparedStatement query = c.prepareStatement(SELECT + " WHERE consultation = ? ORDER BY started_at, id")) {
                query.setString(1, consultation.value());
                return readAll(query);
            }
        });
    }
}
