package io.telesignal.core.chat;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.consultation.Action;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Attendee;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.routing.Router;
import io.telesignal.core.work.WorkerPool;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends chat messages: the consultation's policy decides (admitted participants only), the message is stored
 * (on the worker pool), audited without its text, then delivered to every admitted endpoint but the sender's.
 */
public final class ChatService {
    private static final Logger LOG = LoggerFactory.getLogger(ChatService.class);

    private final ChatStore store;
    private final ConsultationService consultations;
    private final Router router;
    private final AuditTrail audit;
    private final WorkerPool workers;
    private final Clock clock;
    private final Duration retention;

    public ChatService(ChatStore store, ConsultationService consultations, Router router, AuditTrail audit,
            WorkerPool workers, Clock clock, Duration retention) {
        this.store = store;
        this.consultations = consultations;
        this.router = router;
        this.audit = audit;
        this.workers = workers;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Sends a message. With a {@code clientId} the send is idempotent for its sender: sent again (a reconnect, a new
     * session, another node) it is stored once and answered with the message stored the first time, and delivered
     * again to the others, who may not have had it when the first attempt was cut short (clients show each message
     * id once). The answer comes only after the message and its audit record are committed.
     */
    public CompletionStage<ChatMessage> send(Actor actor, ConsultationId id, EndpointId from, String text,
            java.util.Optional<String> clientId, ConsultationService.Origin origin) {
        if (text.isBlank() || text.length() > ChatMessage.MAX_TEXT) {
            throw new IllegalArgumentException("text must be 1-" + ChatMessage.MAX_TEXT + " characters");
        }
        if (clientId.filter(c -> c.isEmpty() || c.length() > ChatMessage.MAX_CLIENT_ID).isPresent()) {
            throw new IllegalArgumentException("clientId must be 1-" + ChatMessage.MAX_CLIENT_ID + " characters");
        }
        return consultations.authorize(actor, id, Action.CHAT, origin).thenCompose(c -> {
            ChatMessage message = new ChatMessage("m" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                    id, actor.user(), actor.displayName(), text, clock.instant().truncatedTo(ChronoUnit.MILLIS), clientId);
            return workers.submit(() -> store.append(message)).thenCompose(stored -> {
                // sent again: recorded as such, so a line whose first record was lost with a crash is on record too
                CompletionStage<?> audited = audit.record(AuditEvent.of("chat.sent", actor.user().value(), Outcome.OK)
                        .consultation(id.value()).subject(stored.id()).endpoint(origin.endpoint())
                        .reason(stored == message ? null : "resent"));
                return audited.thenApply(r -> {
                    ChatPosted event = new ChatPosted(stored);
                    for (Attendee attendee : c.admitted()) {
                        for (EndpointId endpoint : attendee.endpoints()) {
                            if (!endpoint.equals(from)) {
                                router.deliver(endpoint, event);
                            }
                        }
                    }
                    return stored;
                });
            });
        });
    }

    /** Recent messages of a consultation, for a participant who (re)joins. Blocking. */
    public List<ChatMessage> history(ConsultationId id, int limit) {
        return store.recent(id, limit);
    }

    /** Deletes messages older than the retention period; run by a scheduled job. Blocking. */
    public int purge() {
        int purged = store.purgeBefore(clock.instant().minus(retention));
        if (purged > 0) {
            LOG.info("event=chat_purged count={} retention_days={}", purged, retention.toDays());
        }
        return purged;
    }
}
