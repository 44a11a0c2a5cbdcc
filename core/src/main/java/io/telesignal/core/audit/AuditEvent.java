package io.telesignal.core.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One audited fact. Every field is an id or a code: actor and subject are user ids (or {@code cli},
 * {@code system}, an API key id), never names; {@code reason} is a stable error code, never free text.
 * Time is kept to the microsecond, the precision both H2 and PostgreSQL store, so that a record reads back
 * exactly as it was hashed.
 */
public record AuditEvent(
        String type,
        String actor,
        String subject,
        String consultation,
        String endpoint,
        String remoteAddress,
        Outcome outcome,
        String reason,
        Instant at) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    public static final int MAX_FIELD = 256;

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        if (!TYPE.matcher(type).matches() || type.length() > 64) {
            throw new IllegalArgumentException("audit type must look like 'area.action'");
        }
        checkLength("actor", actor);
        checkLength("subject", subject);
        checkLength("consultation", consultation);
        checkLength("endpoint", endpoint);
        checkLength("remoteAddress", remoteAddress);
        checkLength("reason", reason);
        at = at.truncatedTo(ChronoUnit.MICROS);
    }

    private static void checkLength(String field, String value) {
        if (value != null && value.length() > MAX_FIELD) {
            throw new IllegalArgumentException(field + " longer than " + MAX_FIELD);
        }
    }

    public static Builder of(String type, String actor, Outcome outcome) {
        return new Builder(type, actor, outcome);
    }

    /** Collects the optional fields; {@link AuditTrail} stamps the time. */
    public static final class Builder {
        private final String type;
        private final String actor;
        private final Outcome outcome;
        private String subject;
        private String consultation;
        private String endpoint;
        private String remoteAddress;
        private String reason;

        private Builder(String type, String actor, Outcome outcome) {
            this.type = type;
            this.actor = actor;
            this.outcome = outcome;
        }

        public Builder subject(String value) {
            this.subject = value;
            return this;
        }

        public Builder consultation(String value) {
            this.consultation = value;
            return this;
        }

        public Builder endpoint(String value) {
            this.endpoint = value;
            return this;
        }

        public Builder remoteAddress(String value) {
            this.remoteAddress = value;
            return this;
        }

        public Builder reason(String value) {
            this.reason = value;
            return this;
        }

        public AuditEvent at(Instant at) {
            return new AuditEvent(type, actor, subject, consultation, endpoint, remoteAddress, outcome, reason, at);
        }
    }
}
