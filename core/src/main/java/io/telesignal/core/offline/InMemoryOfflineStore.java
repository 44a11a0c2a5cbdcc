package io.telesignal.core.offline;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Offline messages in memory: for tests and a node without a database. */
public final class InMemoryOfflineStore implements OfflineStore {
    private static final class Kept {
        final OfflineMessage message;
        String claimer;
        Instant claimedUntil;

        Kept(OfflineMessage message) {
            this.message = message;
        }
    }

    private final Map<UserId, List<Kept>> kept = new HashMap<>();
    private long seq;

    @Override
    public synchronized boolean keep(UserId owner, String stanza, Instant at, int limit) {
        OfflineMessage message = new OfflineMessage(seq + 1, owner, stanza, at);
        List<Kept> messages = kept.computeIfAbsent(owner, o -> new ArrayList<>());
        if (messages.size() >= limit) {
            return false;
        }
        seq++;
        messages.add(new Kept(message));
        return true;
    }

    @Override
    public synchronized List<OfflineMessage> claim(UserId owner, String claimer, Instant now, Instant until, int max) {
        List<OfflineMessage> claimed = new ArrayList<>();
        for (Kept k : kept.getOrDefault(owner, List.of())) {
            if (claimed.size() >= max) {
                break;
            }
            if (k.claimer == null || !k.claimedUntil.isAfter(now)) {
                k.claimer = claimer;
                k.claimedUntil = until;
                claimed.add(k.message);
            }
        }
        return claimed;
    }

    @Override
    public synchronized int delete(UserId owner, List<Long> seqs) {
        List<Kept> messages = kept.getOrDefault(owner, new ArrayList<>());
        int before = messages.size();
        messages.removeIf(k -> seqs.contains(k.message.seq()));
        return before - messages.size();
    }

    @Override
    public synchronized void release(UserId owner, String claimer) {
        for (Kept k : kept.getOrDefault(owner, List.of())) {
            if (claimer.equals(k.claimer)) {
                k.claimer = null;
                k.claimedUntil = null;
            }
        }
    }

    @Override
    public synchronized int purgeBefore(Instant cutoff) {
        int purged = 0;
        for (List<Kept> messages : kept.values()) {
            int before = messages.size();
            messages.removeIf(k -> k.message.storedAt().isBefore(cutoff));
            purged += before - messages.size();
        }
        return purged;
    }
}
