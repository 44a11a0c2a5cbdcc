package io.telesignal.core.consultation;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SPI: consultations shared by every node. Updates are compare-and-set on {@link Consultation#version()}: a
 * replace succeeds only if the stored version is still the one the caller read, so concurrent transitions on
 * several nodes never overwrite each other.
 */
public interface ConsultationStore {
    CompletionStage<Void> create(Consultation consultation);

    CompletionStage<Optional<Consultation>> find(ConsultationId id);

    /** Stores {@code updated} if the stored version equals {@code expectedVersion}; answers whether it did. */
    CompletionStage<Boolean> replace(long expectedVersion, Consultation updated);

    /** Consultations that are not ended and list or seat this user. */
    CompletionStage<List<Consultation>> involving(io.telesignal.core.identity.UserId user);

    /**
     * Consultations that are not ended and have at least one attendee, present or away: what a restarted node
     * recovers and what the away sweep looks at.
     */
    CompletionStage<List<Consultation>> attended();

    /** Consultations, newest first. */
    CompletionStage<List<Consultation>> list(int offset, int limit);
}
