package io.telesignal.core.location;

import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Bindings of a single node, atomic per user through {@link ConcurrentHashMap#compute}. */
public final class InMemoryLocationStore implements LocationStore {
    private final Map<UserId, Map<String, Binding>> byUser = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Outcome> put(Binding binding) {
        Outcome[] outcome = {Outcome.DONE};
        byUser.compute(binding.user(), (user, current) -> {
            Map<String, Binding> next = current == null ? new LinkedHashMap<>() : new LinkedHashMap<>(current);
            Binding existing = next.get(binding.key());
            if (existing != null && !existing.supersededBy(binding.callId(), binding.cseq())) {
                outcome[0] = Outcome.OUT_OF_ORDER;
                return current;
            }
            next.put(binding.key(), binding);
            return next;
        });
        return CompletableFuture.completedFuture(outcome[0]);
    }

    @Override
    public CompletionStage<Outcome> remove(UserId user, String key, String callId, long cseq) {
        Outcome[] outcome = {Outcome.NOT_FOUND};
        byUser.computeIfPresent(user, (u, current) -> {
            Binding existing = current.get(key);
            if (existing == null) {
                return current;
            }
            if (!existing.supersededBy(callId, cseq)) {
                outcome[0] = Outcome.OUT_OF_ORDER;
                return current;
            }
            outcome[0] = Outcome.DONE;
            Map<String, Binding> next = new LinkedHashMap<>(current);
            next.remove(key);
            return next.isEmpty() ? null : next;
        });
        return CompletableFuture.completedFuture(outcome[0]);
    }

    @Override
    public CompletionStage<List<Binding>> removeAll(UserId user) {
        Map<String, Binding> removed = byUser.remove(user);
        return CompletableFuture.completedFuture(removed == null ? List.of() : List.copyOf(removed.values()));
    }

    @Override
    public CompletionStage<List<Binding>> bindingsOf(UserId user, Instant now) {
        Map<String, Binding> kept = byUser.computeIfPresent(user, (u, current) -> {
            Map<String, Binding> next = new LinkedHashMap<>(current);
            next.values().removeIf(b -> b.expired(now));
            return next.isEmpty() ? null : next;
        });
        List<Binding> live = kept == null ? new ArrayList<>() : new ArrayList<>(kept.values());
        live.sort(Binding.PREFERENCE);
        return CompletableFuture.completedFuture(List.copyOf(live));
    }

    @Override
    public CompletionStage<List<Binding>> onNode(NodeId node) {
        List<Binding> found = new ArrayList<>();
        byUser.values().forEach(bindings -> bindings.values().stream().filter(b -> b.node().equals(node))
                .forEach(found::add));
        return CompletableFuture.completedFuture(found);
    }
}
