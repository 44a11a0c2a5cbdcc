package io.telesignal.store;

import io.telesignal.core.audit.AuditChain;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditHead;
import io.telesignal.core.audit.AuditLog;
import io.telesignal.core.audit.AuditRecord;
import io.telesignal.core.audit.Outcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit chain in {@code audit_events}, with its last link in {@code audit_head}.
 *
 * <p>Append locks the head row ({@code SELECT ... FOR UPDATE}), so appends from every writer — several
 * nodes included — are serialized by the database, and the record and the new head commit together.
 */
public final class JdbcAuditLog implements AuditLog {
    static final String UNREADABLE = "audit.unreadable";
    private final Transactions tx;

    JdbcAuditLog(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public AuditRecord append(AuditEvent event) {
        return appendAll(List.of(event)).get(0);
    }

    /** One transaction for all of them: the head locked once, the records inserted as one batch, one commit. */
    @Override
    public List<AuditRecord> appendAll(List<AuditEvent> events) {
        return tx.inTransaction("append audit record", c -> {
            AuditHead head;
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT seq, chain_hash FROM audit_head WHERE id = 1 FOR UPDATE");
                    ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("audit_head row missing", "02000");
                }
                head = new AuditHead(rs.getLong(1), rs.getString(2));
            }
            List<AuditRecord> records = new ArrayList<>(events.size());
            long seq = head.seq();
            String hash = head.hash();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO audit_events (seq, event_type, actor, subject, consultation, endpoint, remote_address,"
                            + " outcome, reason, occurred_at, prev_hash, chain_hash)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AuditEvent event : events) {
                    AuditRecord record = AuditChain.link(++seq, event, hash);
                    hash = record.hash();
                    records.add(record);
                    insert.setLong(1, record.seq());
                    insert.setString(2, event.type());
                    insert.setString(3, event.actor());
                    insert.setString(4, event.subject());
                    insert.setString(5, event.consultation());
                    insert.setString(6, event.endpoint());
                    insert.setString(7, event.remoteAddress());
                    insert.setString(8, event.outcome().wireName());
                    insert.setString(9, event.reason());
                    insert.setObject(10, JdbcDirectory.utc(event.at()));
                    insert.setString(11, record.prevHash());
                    insert.setString(12, record.hash());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE audit_head SET seq = ?, chain_hash = ? WHERE id = 1")) {
                update.setLong(1, seq);
                update.setString(2, hash);
                update.executeUpdate();
            }
            return records;
        });
    }

    @Override
    public List<AuditRecord> read(long afterSeq, int limit) {
        return tx.read("read audit records", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT seq, event_type, actor, subject, consultation, endpoint, remote_address, outcome, reason,"
                            + " occurred_at, prev_hash, chain_hash FROM audit_events WHERE seq > ? ORDER BY seq"
                            + " FETCH FIRST ? ROWS ONLY")) {
                query.setLong(1, afterSeq);
                query.setInt(2, limit);
                List<AuditRecord> records = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        records.add(new AuditRecord(rs.getLong(1), event(rs), rs.getString(11), rs.getString(12)));
                    }
                }
                return records;
            }
        });
    }

    /**
     * A row edited into something no event can be (an unknown outcome, a malformed type) is read as an
     * "unreadable" placeholder: it cannot hash to the stored value, so verification reports the row as edited
     * instead of failing to read the chain.
     */
    private static AuditEvent event(ResultSet rs) throws SQLException {
        try {
            return new AuditEvent(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    rs.getString(7), Outcome.fromWireName(rs.getString(8)), rs.getString(9),
                    rs.getObject(10, OffsetDateTime.class).toInstant());
        } catch (IllegalArgumentException | NullPointerException e) {
            return new AuditEvent(UNREADABLE, "unknown", null, null, null, null, Outcome.FAILED, null,
                    java.time.Instant.EPOCH);
        }
    }

    @Override
    public AuditHead head() {
        return tx.read("read audit head", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT seq, chain_hash FROM audit_head WHERE id = 1");
                    ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("audit_head row missing", "02000");
                }
                return new AuditHead(rs.getLong(1), rs.getString(2));
            }
        });
    }
}
