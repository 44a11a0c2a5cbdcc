package io.telesignal.core.chat;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;

/** One stored chat message. */
public record ChatMessage(String id, ConsultationId consultation, UserId from, String fromName, String text, Instant at) {
    public static final int MAX_TEXT = 4000;

    public ChatMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(consultation, "consultation");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(fromName, "fromName");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }

    @Override
    public String toString() {
        return "ChatMessage[id=" + id + ", consultation=" + consultation + ", from=" + from + "]";
    }
}
