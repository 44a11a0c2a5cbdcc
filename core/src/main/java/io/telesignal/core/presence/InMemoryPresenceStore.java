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
    private record Entries(List<EndpointPresence> list, long version) {}


    private final Map<UserId, Entries> byUser = new ConcurrentHashMap<>();
    /** One counter for all users: versions stay increasing per user even after a user's entry is dropped. */
    private final java.util.concurrent.atomic.AtomicLong versions = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public CompletionStage<Change> put(EndpointPresence entry) {
        Change[] change = new Change[1];
        byUser.compute(entry.user(), (user, current) -> {
            List<EndpointPresence> before = current == null ? List.of() : current.list();
            long version = versions.incrementAndGet();
            List<EndpointPresence> after = new ArrayList<>(before.size() + 1);
            for (EndpointPresence existing : before) {
                if (!existing.endpoint().equals(entry.endpoint())) {
                    after.add(existing);
                }
            }
            after.add(entry);
            change[0] = new Change(before, after, version);
            return new Entries(List.copyOf(after), version);
        });
        return CompletableFuture.completedFuture(change[0]);
    }

    @Override
    public CompletionStage<Change> remove(UserId user, EndpointId endpoint) {
        Change[] change = new Change[1];
        byUser.compute(user, (key, current) -> {
            List<EndpointPresence> before = current == null ? List.of() : current.list();
            long version = versions.incrementAndGet();
            List<EndpointPresence> after = before.stream().filter(e -> !e.endpoint().equals(endpoint)).toList();
            change[0] = new Change(before, after, version);
            return after.isEmpty() ? null : new Entries(after, version);
        });
        return CompletableFuture.completedFuture(change[0]);
    }

    @Override
    public CompletionStage<List<EndpointPresence>> entriesOf(UserId user) {
        Entries entries = byUser.get(user);
        return CompletableFuture.completedFuture(entries == null ? List.of() : entries.list());
    }
}
