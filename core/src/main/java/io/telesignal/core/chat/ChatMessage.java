package io.telesignal.core.chat;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored chat message. {@code clientId} is the sender's own id for it, when the client chose one: the same
 * sender sending the same client id to the same consultation again (after a reconnect, from a new session) gets the
 * message stored the first time, never a second copy.
 */
public record ChatMessage(String id, ConsultationId consultation, UserId from, String fromName, String text, Instant at,
        java.util.Optional<String> clientId) {
    public static final int MAX_TEXT = 4000;
    public static final int MAX_CLIENT_ID = 64;

    public ChatMessage(String id, ConsultationId consultation, UserId from, String fromName, String text, Instant at) {
        this(id, consultation, from, fromName, text, at, java.util.Optional.empty());
    }

    public ChatMessage {
        Objects.requireNonNull(clientId, "clientId");
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
