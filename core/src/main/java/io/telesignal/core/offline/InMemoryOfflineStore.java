package io.telesignal.core.offline;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Offline messages in memory: for tests and a node without a database. */
public final class InMemoryOfflineStore implements OfflineStore {
    private final Map<UserId, List<OfflineMessage>> kept = new HashMap<>();
    private long seq;

    @Override
    public synchronized boolean keep(UserId owner, String stanza, Instant at, int limit) {
        OfflineMessage message = new OfflineMessage(seq + 1, owner, stanza, at);
        List<OfflineMessage> messages = kept.computeIfAbsent(owner, o -> new ArrayList<>());
        if (messages.size() >= limit) {
            return false;
        }
        seq++;
        messages.add(message);
        return true;
    }

    @Override
    public synchronized List<OfflineMessage> oldest(UserId owner, int max) {
        List<OfflineMessage> messages = kept.getOrDefault(owner, List.of());
        return List.copyOf(messages.subList(0, Math.min(max, messages.size())));
    }

    @Override
    public synchronized int deleteUpTo(UserId owner, long upTo) {
        List<OfflineMessage> messages = kept.getOrDefault(owner, new ArrayList<>());
        int before = messages.size();
        messages.removeIf(m -> m.seq() <= upTo);
        return before - messages.size();
    }

    @Override
    public synchronized int purgeBefore(Instant cutoff) {
        int purged = 0;
        for (List<OfflineMessage> messages : kept.values()) {
            int before = messages.size();
            messages.removeIf(m -> m.storedAt().isBefore(cutoff));
            purged += before - messages.size();
        }
        return purged;
    }
}
