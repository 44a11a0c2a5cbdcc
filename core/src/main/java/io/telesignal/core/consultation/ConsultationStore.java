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

    /**
     * The consultation; in cluster mode possibly this node's copy, which may lag another node's write by the moment
     * its announcement takes to arrive (see {@link #findLatest}).
     */
    CompletionStage<Optional<Consultation>> find(ConsultationId id);

    /**
     * The latest version, never a copy that may lag: for a change (compare-and-set), and before a refusal that a
     * lagging copy could cause. The same as {@link #find} for a store that keeps no copies.
     */
    default CompletionStage<Optional<Consultation>> findLatest(ConsultationId id) {
        return find(id);
    }

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
