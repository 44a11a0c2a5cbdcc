package io.telesignal.core.call;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One call between two endpoints of a consultation: who offered, when it was offered, answered and ended, and why
 * it ended ({@code hangup}, {@code left}, {@code ended}). Ids and times only.
 */
public record CallRecord(String id, ConsultationId consultation, UserId callerUser, EndpointId caller, UserId calleeUser,
        EndpointId callee, CallState state, Instant startedAt, Optional<Instant> connectedAt, Optional<Instant> endedAt,
        Optional<String> endReason) {
    public CallRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(consultation, "consultation");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(endReason, "endReason");
    }

    /** Connected time: from the answer to the end (zero if never answered or not over). */
    public Duration duration() {
        return connectedAt.flatMap(c -> endedAt.map(e -> Duration.between(c, e))).orElse(Duration.ZERO);
    }

    CallRecord connected(Instant at) {
        return new CallRecord(id, consultation, callerUser, caller, calleeUser, callee, CallState.CONNECTED, startedAt,
                Optional.of(at), endedAt, endReason);
    }

    CallRecord ended(Instant at, String reason) {
        return new CallRecord(id, consultation, callerUser, caller, calleeUser, callee, CallState.ENDED, startedAt,
                connectedAt, Optional.of(at), Optional.of(reason));
    }
}
