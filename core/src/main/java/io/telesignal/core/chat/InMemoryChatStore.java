package io.telesignal.core.chat;

import io.telesignal.core.consultation.ConsultationId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Chat of a throw-away server. Thread-safe. */
public final class InMemoryChatStore implements ChatStore {
    private final List<ChatMessage> messages = new ArrayList<>();

    @Override
    public synchronized ChatMessage append(ChatMessage message) {
        if (message.clientId().isPresent()) {
            for (ChatMessage stored : messages) {
                if (stored.clientId().equals(message.clientId()) && stored.from().equals(message.from())
                        && stored.consultation().equals(message.consultation())) {
                    return stored;
                }
            }
        }
        messages.add(message);
        return message;
    }

    @Override
    public synchronized List<ChatMessage> recent(ConsultationId consultation, int limit) {
        List<ChatMessage> mine = messages.stream().filter(m -> m.consultation().equals(consultation)).toList();
        return List.copyOf(mine.subList(Math.max(0, mine.size() - limit), mine.size()));
    }

    @Override
    public synchronized int purgeBefore(Instant cutoff) {
        int before = messages.size();
        messages.removeIf(m -> m.at().isBefore(cutoff));
        return before - messages.size();
    }
}
