package io.telesignal.core.chat;

import io.telesignal.core.consultation.ConsultationId;
import java.time.Instant;
import java.util.List;

/** SPI: stored chat messages. Blocking. */
public interface ChatStore {
    /**
     * Stores a message and answers it; when the message has a client id that its sender already used in that
     * consultation, stores nothing and answers the message stored then.
     */
    ChatMessage append(ChatMessage message);

    /** The newest {@code limit} messages of a consultation, oldest first. */
    List<ChatMessage> recent(ConsultationId consultation, int limit);

    /** Deletes messages sent before {@code cutoff}; answers how many. */
    int purgeBefore(Instant cutoff);
}
