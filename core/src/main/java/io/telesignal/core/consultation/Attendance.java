package io.telesignal.core.consultation;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps attendance true to the connections that really exist, across the failures a node lives through.
 *
 * <ul>
 *   <li>{@link #recoverAfterRestart}: a single node that starts again holds no connection from before, so every
 *       endpoint its consultations list is lost; their attendees stay, away, in their place (admitted or waiting).
 *   <li>{@link #sweep}: attendees away for longer than the rejoin grace did not come back and are removed.
 * </ul>
 *
 * Both go through {@link ConsultationService}, so every change is compare-and-set on the consultation's version,
 * audited, and told to the others: safe to run on every node of a cluster at once.
 */
public final class Attendance {
    private static final Logger LOG = LoggerFactory.getLogger(Attendance.class);

    private final ConsultationService consultations;
    private final Clock clock;
    private final Duration rejoinGrace;

    public Attendance(ConsultationService consultations, Clock clock, Duration rejoinGrace) {
        this.consultations = consultations;
        this.clock = clock;
        this.rejoinGrace = rejoinGrace;
    }

    public Duration rejoinGrace() {
        return rejoinGrace;
    }

    /** Single node, at start: every endpoint listed from before is lost. Answers how many consultations changed. */
    public CompletionStage<Integer> recoverAfterRestart() {
        return consultations.attended().thenCompose(attended -> each(attended, c -> c.endpoints().isEmpty()
                ? CompletableFuture.completedFuture(false)
                : consultations.endpointsLost(c.id(), c.endpoints()).thenApply(updated -> updated.version() != c.version())))
                .thenApply(changed -> {
                    if (changed > 0) {
                        LOG.info("event=attendance_recovered consultations={}", changed);
                    }
                    return changed;
                });
    }

    /** Removes the attendees away for longer than the rejoin grace. Answers how many consultations changed. */
    public CompletionStage<Integer> sweep() {
        java.time.Instant cutoff = clock.instant().minus(rejoinGrace);
        return consultations.attended().thenCompose(attended -> each(attended, c -> c.awayBefore(cutoff).isEmpty()
                ? CompletableFuture.completedFuture(false)
                : consultations.dropAway(c.id(), cutoff).thenApply(updated -> updated.version() != c.version())));
    }

    private static CompletionStage<Integer> each(List<Consultation> attended,
            java.util.function.Function<Consultation, CompletionStage<Boolean>> step) {
        return io.telesignal.core.work.InTurn.count(attended, step, (c, cause) -> LOG.warn(
                "event=attendance_update outcome=failed consultation={} code={}", c.id(),
                cause instanceof io.telesignal.core.DomainException d ? d.code() : cause.getClass().getSimpleName()));
    }
}
