package io.telesignal.core.consultation;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Consultations of a single node, in a concurrent map; compare-and-set through {@code compute}. */
public final class InMemoryConsultationStore implements ConsultationStore {
    private final Map<ConsultationId, Consultation> consultations = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> create(Consultation consultation) {
        if (consultations.putIfAbsent(consultation.id(), consultation) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("duplicate consultation id"));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<Consultation>> find(ConsultationId id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(consultations.get(id)));
    }

    @Override
    public CompletionStage<Boolean> replace(long expectedVersion, Consultation updated) {
        boolean[] replaced = new boolean[1];
        consultations.computeIfPresent(updated.id(), (id, current) -> {
            if (current.version() == expectedVersion) {
                replaced[0] = true;
                return updated;
            }
            return current;
        });
        return CompletableFuture.completedFuture(replaced[0]);
    }

    @Override
    public CompletionStage<List<Consultation>> involving(io.telesignal.core.identity.UserId user) {
        return CompletableFuture.completedFuture(consultations.values().stream()
                .filter(c -> !c.ended() && (c.listed().containsKey(user) || c.attendees().containsKey(user)))
                .toList());
    }

    @Override
    public CompletionStage<List<Consultation>> attended() {
        return CompletableFuture.completedFuture(consultations.values().stream()
                .filter(c -> !c.ended() && !c.attendees().isEmpty()).toList());
    }

    @Override
    public CompletionStage<List<Consultation>> list(int offset, int limit) {
        return CompletableFuture.completedFuture(consultations.values().stream()
                .sorted(Comparator.comparing(Consultation::createdAt).reversed())
                .skip(offset).limit(limit).toList());
    }
}
