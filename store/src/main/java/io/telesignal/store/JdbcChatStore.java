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

/** Chat messages in table {@code chat_messages}. */
public final class JdbcChatStore implements ChatStore {
    private final Transactions tx;

    JdbcChatStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void append(ChatMessage message) {
        tx.inTransaction("append chat message", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO chat_messages"
                    + " (id, consultation, sender, sender_name, body, sent_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, message.id());
                insert.setString(2, message.consultation().value());
                insert.setString(3, message.from().value());
                insert.setString(4, message.fromName());
                insert.setString(5, message.text());
                insert.setObject(6, JdbcDirectory.utc(message.at()));
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ChatMessage> recent(ConsultationId consultation, int limit) {
        return tx.read("read chat history", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT id, consultation, sender, sender_name, body, sent_at"
                    + " FROM chat_messages WHERE consultation = ? ORDER BY sent_at DESC, id DESC FETCH FIRST ? ROWS ONLY")) {
                query.setString(1, consultation.value());
                query.setInt(2, limit);
                List<ChatMessage> newestFirst = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        newestFirst.add(new ChatMessage(rs.getString(1), new ConsultationId(rs.getString(2)),
                                new UserId(rs.getString(3)), rs.getString(4), rs.getString(5),
                                rs.getObject(6, OffsetDateTime.class).toInstant()));
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
