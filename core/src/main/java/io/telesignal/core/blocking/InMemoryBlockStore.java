package io.telesignal.core.blocking;

import io.telesignal.core.identity.UserId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Block lists in memory, for one node and for tests; one lock. */
public final class InMemoryBlockStore implements BlockStore {
    private final Map<UserId, LinkedHashSet<String>> lists = new HashMap<>();

    @Override
    public synchronized List<String> blocked(UserId owner) {
        return List.copyOf(lists.getOrDefault(owner, new LinkedHashSet<>()));
    }

    @Override
    public synchronized java.util.Set<UserId> blockers(Collection<UserId> owners, Collection<String> addresses) {
        java.util.Set<UserId> found = new java.util.HashSet<>();
        for (UserId owner : owners) {
            LinkedHashSet<String> list = lists.get(owner);
            if (list != null && addresses.stream().anyMatch(list::contains)) {
                found.add(owner);
            }
        }
        return java.util.Set.copyOf(found);
    }

    @Override
    public synchronized boolean block(UserId owner, Collection<String> jids, int max) {
        LinkedHashSet<String> now = new LinkedHashSet<>(lists.getOrDefault(owner, new LinkedHashSet<>()));
        now.addAll(jids);
        if (now.size() > max) {
            return false;
        }
        lists.put(owner, now);
        return true;
    }

    @Override
    public synchronized List<String> unblock(UserId owner, Collection<String> jids) {
        LinkedHashSet<String> list = lists.getOrDefault(owner, new LinkedHashSet<>());
        List<String> removed = new ArrayList<>();
        if (jids.isEmpty()) {
            removed.addAll(list);
            list.clear();
        } else {
            for (String jid : jids) {
                if (list.remove(jid)) {
                    removed.add(jid);
                }
            }
        }
        return removed;
    }
}
