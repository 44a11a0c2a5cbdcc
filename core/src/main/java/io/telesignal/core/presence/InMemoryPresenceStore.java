package io.telesignal.core.presence;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Presence for a single node. Atomic per user through {@link ConcurrentHashMap#compute}. */
public final class InMemoryPresenceStore implements PresenceStore {
    private final Map<UserId, List<EndpointPresence>> byUser = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Change> put(EndpointPresence entry) {
        Change[] change = new Change[1];
        byUser.compute(entry.user(), (user, current) -> {
            List<EndpointPresence> before = current == null ? List.of() : current;
            List<EndpointPresence> after = new ArrayList<>(before.size() + 1);
            for (EndpointPresence existing : before) {
                if (!existing.endpoint().equals(entry.endpoint())) {
                    after.add(existing);
                }
            }
            after.add(entry);
            change[0] = new Change(before, after);
            return List.copyOf(after);
        });
        return CompletableFuture.completedFuture(change[0]);
    }

    @Override
    public CompletionStage<Change> remove(UserId user, EndpointId endpoint) {
        Change[] change = new Change[1];
        byUser.compute(user, (key, current) -> {
            List<EndpointPresence> before = current == null ? List.of() : current;
            List<EndpointPresence> after = before.stream().filter(e -> !e.endpoint().equals(endpoint)).toList();
            change[0] = new Change(before, after);
            return after.isEmpty() ? null : after;
        });
        return CompletableFuture.completedFuture(change[0]);
    }

    @Override
    public CompletionStage<List<EndpointPresence>> entriesOf(UserId user) {
        return CompletableFuture.completedFuture(byUser.getOrDefault(user, List.of()));
    }
}
