package io.telesignal.store;

import io.telesignal.core.chat.ChatMessage;
import io.telesignal.core.chat.ChatStore;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.UserId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Chat messages in table {@code chat_messages}; their text and sender's name sealed ({@link FieldCipher}). */
public final class JdbcChatStore implements ChatStore {
    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcChatStore(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    @Override
    public ChatMessage append(ChatMessage message) {
        return tx.inTransaction("append chat message", c -> {
            Optional<ChatMessage> before = stored(c, message);
            if (before.isPresent()) {
                return before.get();
            }
            java.sql.Savepoint beforeInsert = c.setSavepoint();
            try {
                return insert(c, message);
            } catch (java.sql.SQLException e) {
                // the same client id sent twice at the same moment: the other attempt's insert won, answer its message
                if (message.clientId().isPresent() && Transactions.constraintViolated(e)) {
                    c.rollback(beforeInsert);
                    Optional<ChatMessage> won = stored(c, message);
                    if (won.isPresent()) {
                        return won.get();
                    }
                }
                throw e;
            }
        });
    }

    private ChatMessage insert(java.sql.Connection c, ChatMessage message) throws java.sql.SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO chat_messages"
                + " (id, consultation, sender, sender_name, body, sent_at, client_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, message.id());
            insert.setString(2, message.consultation().value());
            insert.setString(3, message.from().value());
            insert.setString(4, cipher.seal(message.fromName(), DataKeys.context("chat_messages", "sender_name", message.id())));
            insert.setString(5, cipher.seal(message.text(), DataKeys.context("chat_messages", "body", message.id())));
            insert.setObject(6, JdbcDirectory.utc(message.at()));
            insert.setString(7, message.clientId().orElse(null));
            insert.executeUpdate();
            return message;
        }
    }

    /** The message its sender stored before under the same client id, if any. */
    private Optional<ChatMessage> stored(java.sql.Connection c, ChatMessage message) throws java.sql.SQLException {
        if (message.clientId().isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement query = c.prepareStatement("SELECT id, consultation, sender, sender_name, body, sent_at,"
                + " client_id FROM chat_messages WHERE consultation = ? AND sender = ? AND client_id = ?")) {
            query.setString(1, message.consultation().value());
            query.setString(2, message.from().value());
            query.setString(3, message.clientId().get());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private ChatMessage read(ResultSet rs) throws java.sql.SQLException {
        String id = rs.getString(1);
        return new ChatMessage(id, new ConsultationId(rs.getString(2)), new UserId(rs.getString(3)),
                cipher.open(rs.getString(4), DataKeys.context("chat_messages", "sender_name", id)),
                cipher.open(rs.getString(5), DataKeys.context("chat_messages", "body", id)), rs.getObject(6, OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rs.getString(7)));
    }

    @Override
    public List<ChatMessage> recent(ConsultationId consultation, int limit) {
        return tx.read("read chat history", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT id, consultation, sender, sender_name, body, sent_at,"
                    + " client_id FROM chat_messages WHERE consultation = ? ORDER BY sent_at DESC, id DESC FETCH FIRST ? ROWS ONLY")) {
                query.setString(1, consultation.value());
                query.setInt(2, limit);
                List<ChatMessage> newestFirst = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        newestFirst.add(read(rs));
                    }
                }
                Collections.reverse(newestFirst);
                return newestFirst;
            }
        });
    }

    @Override
    public int purgeBefore(Instant cutoff) {
        return tx.inTransaction("purge chat", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM chat_messages WHERE sent_at < ?")) {
                delete.setObject(1, JdbcDirectory.utc(cutoff));
                return delete.executeUpdate();
            }
        });
    }
}
